package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.PacketCmd;
import ovsj.odp.uapi.UserspaceAttr;

/** Output, trunc, userspace and the end of a list. */
class OutputAndUserspaceTest {
    final RecordingContext ctx = new RecordingContext();

    @Test
    void anEmptyListDropsThePacket() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 10));
        assertThat(ctx.run(p, new byte[0])).isZero();
        assertThat(ctx.outputs).isEmpty();
        assertThat(ctx.upcalls).isEmpty();
    }

    @Test
    void theLastOutputGivesAwayThePacketItself() {
        byte[] frame = Frames.eth4(Frames.UDP, 1, 2, 10);
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> w.putU32(ActionAttr.OUTPUT, 7));
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs).hasSize(1);
        assertThat(ctx.outputs.get(0).port()).isEqualTo(7);
        assertThat(ctx.outputs.get(0).packet()).isSameAs(p);
        assertThat(ctx.outputs.get(0).frame()).isEqualTo(frame);
    }

    @Test
    void outputsBeforeTheLastGetCopiesThatLaterActionsDoNotChange() {
        byte[] frame = Frames.eth4(Frames.UDP, 1, 2, 10);
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.OUTPUT, 1);
            Acts.setIpv4Dst(w, 0x0a0000fe);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs).extracting(RecordingContext.Output::port).containsExactly(1, 2);
        assertThat(ctx.outputs.get(0).packet()).isNotSameAs(p);
        assertThat(ctx.outputs.get(0).frame()).isEqualTo(frame);
        assertThat(Wire.be32(ctx.outputs.get(1).frame(), 14 + 16)).isEqualTo(0x0a0000fe);
    }

    @Test
    void truncCutsTheNextOutputOnlyAndNotBelowTheEthernetHeader() {
        byte[] frame = Frames.eth4(Frames.UDP, 1, 2, 100);
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.TRUNC, 64);
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs.get(0).frame()).hasSize(64).isEqualTo(java.util.Arrays.copyOf(frame, 64));
        assertThat(ctx.outputs.get(1).frame()).isEqualTo(frame);
        assertThat(ctx.outputs.get(1).packet().cutlen).isZero();
    }

    @Test
    void truncLongerThanThePacketDoesNothing() {
        byte[] frame = Frames.eth4(Frames.UDP, 1, 2, 10);
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.TRUNC, 1000);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ctx.onlyOutputFrame()).isEqualTo(frame);
    }

    @Test
    void truncDoesNotCountTheOuterVlanTagAsLinuxKeepsItOutOfTheFrame() {
        byte[] plain = Frames.eth4(Frames.UDP, 1, 2, 100);
        byte[] tagged = Frames.cat(java.util.Arrays.copyOf(plain, 12), Frames.vlanTag(0x8100, 5),
                java.util.Arrays.copyOfRange(plain, 12, plain.length));
        Packet p = Frames.packet(tagged);
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.TRUNC, 64);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ctx.onlyOutputFrame()).hasSize(68);
    }

    @Test
    void userspaceHandsTheDatapathWhatDpUpcallInfoHolds() {
        byte[] frame = Frames.eth4(Frames.UDP, 1, 2, 10);
        Packet p = Frames.packet(frame);
        p.mru = 1500;
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.USERSPACE, u -> {
                u.putU32(UserspaceAttr.PID, 77);
                u.putBytes(UserspaceAttr.USERDATA, new byte[] {(byte) 0xab, (byte) 0xcd, 1});
                u.putU32(UserspaceAttr.EGRESS_TUN_PORT, 9);
                u.putFlag(UserspaceAttr.ACTIONS);
            });
            w.putU32(ActionAttr.OUTPUT, 3);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.upcalls).hasSize(1);
        RecordingContext.Upcall u = ctx.upcalls.get(0);
        assertThat(u.info().cmd()).isEqualTo(PacketCmd.ACTION);
        assertThat(u.info().portId()).isEqualTo(77);
        assertThat(u.userdata()).containsExactly(0xab, 0xcd, 1);
        assertThat(u.info().egressTunPort()).isEqualTo(9);
        assertThat(u.actions()).as("the whole list being executed").isEqualTo(acts);
        assertThat(u.info().mru()).isEqualTo(1500);
        assertThat(u.frame()).isEqualTo(frame);
        assertThat(ctx.outputs).hasSize(1);
    }

    @Test
    void userspaceWithoutOptionalAttributesReportsThemAbsent() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 10));
        byte[] acts = Acts.store(p.key, w -> Acts.nest(w, ActionAttr.USERSPACE, u -> u.putU32(UserspaceAttr.PID, 5)));
        ctx.run(p, acts);
        UpcallInfo info = ctx.upcalls.get(0).info();
        assertThat(info.hasUserdata()).isFalse();
        assertThat(info.hasEgressTunPort()).isFalse();
        assertThat(info.hasActions()).isFalse();
        assertThat(info.cutlen()).isZero();
    }

    @Test
    void truncBeforeUserspaceTruncatesTheUpcallThenIsForgotten() {
        byte[] frame = Frames.eth4(Frames.UDP, 1, 2, 100);
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.TRUNC, 50);
            Acts.nest(w, ActionAttr.USERSPACE, u -> u.putU32(UserspaceAttr.PID, 5));
            w.putU32(ActionAttr.OUTPUT, 3);
        });
        ctx.run(p, acts);
        assertThat(ctx.upcalls.get(0).info().cutlen()).isEqualTo(frame.length - 50);
        assertThat(ctx.upcalls.get(0).frame()).hasSize(50);
        assertThat(ctx.onlyOutputFrame()).isEqualTo(frame);
    }

    @Test
    void userspaceInsideANestedListReportsThatList() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 10));
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.CLONE, c -> Acts.nest(c, ActionAttr.USERSPACE, u -> {
                u.putU32(UserspaceAttr.PID, 5);
                u.putFlag(UserspaceAttr.ACTIONS);
            }));
            w.putU32(ActionAttr.OUTPUT, 3);
        });
        ctx.run(p, acts);
        // CLONE { EXEC(u32) USERSPACE {...} }: the reported list is the USERSPACE action alone
        byte[] reported = ctx.upcalls.get(0).actions();
        assertThat(reported).hasSize(16);
        assertThat(Wire.u16(reported, 2)).isEqualTo(ActionAttr.USERSPACE);
    }

    @Test
    void tunnelSetAttachesTheTunnelAndLeavesTheKeyAlone() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 10));
        FlowKey before = new FlowKey(p.key);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.SET, s -> Acts.nest(s, KeyAttr.TUNNEL, t -> {
                t.putBe64(ovsj.odp.uapi.TunnelKeyAttr.ID, 42);
                t.putBe32(ovsj.odp.uapi.TunnelKeyAttr.IPV4_DST, 0xc0a80001);
                t.putU8(ovsj.odp.uapi.TunnelKeyAttr.TTL, 64);
            }));
            w.putU32(ActionAttr.OUTPUT, 3);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.tunnelSets).isEqualTo(1);
        assertThat(ctx.outputs.get(0).key()).isEqualTo(before);
    }
}
