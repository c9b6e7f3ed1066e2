package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAddMpls;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.NshKeyAttr;

/** push/pop of VLAN tags, MPLS labels, Ethernet and NSH headers. */
class PushPopTest {
    final RecordingContext ctx = new RecordingContext();

    static void pushVlan(NlWriter w, int tpid, int tci) {
        w.putBe32(ActionAttr.PUSH_VLAN, (tpid << 16) | tci);
    }

    static void pushMpls(NlWriter w, int lse, int ethertype) {
        int p = w.reserve(ActionAttr.PUSH_MPLS, 8);
        Wire.putBe32(w.buffer(), p, lse);
        Wire.putBe16(w.buffer(), p + 4, ethertype);
    }

    static void addMpls(NlWriter w, int lse, int ethertype, boolean l3) {
        int p = w.reserve(ActionAttr.ADD_MPLS, 8);
        Wire.putBe32(w.buffer(), p, lse);
        Wire.putBe16(w.buffer(), p + 4, ethertype);
        Wire.putU16(w.buffer(), p + 6, l3 ? ActionAddMpls.L3_TUNNEL_FLAG_MASK : 0);
    }

    static byte[] tagged(byte[] plain, int tpid, int tci) {
        return Frames.cat(Arrays.copyOf(plain, 12), Frames.vlanTag(tpid, tci), Arrays.copyOfRange(plain, 12, plain.length));
    }

    // ---- VLAN -----------------------------------------------------------------------------------

    @Test
    void pushVlanThenPopVlanRestoresTheFrameAndTheKeyFollows() {
        byte[] f = Frames.eth4(Frames.TCP, 1, 2, 5);
        Packet p = Frames.packet(f);
        FlowKey k0 = new FlowKey(p.key);
        byte[] acts = Acts.store(p.key, w -> {
            pushVlan(w, 0x8100, 0x1000 | 0xa064);
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putFlag(ActionAttr.POP_VLAN);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        RecordingContext.Output tagged = ctx.outputs.get(0);
        assertThat(tagged.frame()).isEqualTo(tagged(f, 0x8100, 0xa064));
        assertThat(ActionExecutor.isKeyValid(tagged.key())).isTrue();
        assertThat(tagged.key().vlanTci()).isEqualTo(0xb064);
        assertThat(tagged.key().u16(FlowKey.VLAN_TPID_OFFSET)).isEqualTo(0x8100);
        RecordingContext.Output popped = ctx.outputs.get(1);
        assertThat(popped.frame()).isEqualTo(f);
        assertThat(popped.key()).isEqualTo(k0);
        assertThat(popped.packet().networkOff - popped.packet().macOff).isEqualTo(14);
    }

    @Test
    void pushVlanOnATaggedPacketPutsTheNewTagOutsideAndInvalidatesTheKey() {
        byte[] plain = Frames.eth4(Frames.UDP, 1, 2, 5);
        byte[] f = tagged(plain, 0x8100, 7);
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            pushVlan(w, 0x88a8, 0x1000 | 9);
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putFlag(ActionAttr.POP_VLAN);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        ctx.run(p, acts);
        assertThat(ctx.outputs.get(0).frame()).isEqualTo(tagged(f, 0x88a8, 9));
        assertThat(ActionExecutor.isKeyValid(ctx.outputs.get(0).key())).isFalse();
        assertThat(ctx.outputs.get(1).frame()).isEqualTo(f);
    }

    @Test
    void popVlanOfTheOnlyTagClearsTheKeysVlanAndOfAnUntaggedPacketDoesNothing() {
        byte[] plain = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet p = Frames.packet(tagged(plain, 0x8100, 0x2005));
        byte[] acts = Acts.store(p.key, w -> {
            w.putFlag(ActionAttr.POP_VLAN);
            w.putFlag(ActionAttr.POP_VLAN);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ctx.onlyOutputFrame()).isEqualTo(plain);
        assertThat(ctx.outputs.get(0).key().vlanTci()).isZero();
        assertThat(ActionExecutor.isKeyValid(ctx.outputs.get(0).key())).isTrue();
    }

    @Test
    void pushingWithoutHeadroomStillWorks() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet p = Frames.packet(f);
        p.buf = f.clone();
        p.off = 0;
        p.macOff = 0;
        p.networkOff = 14;
        p.transportOff = 34;
        byte[] acts = Acts.store(p.key, w -> {
            pushVlan(w, 0x8100, 0x1001);
            Acts.set(w, KeyAttr.UDP, Acts.keyPorts(10, 20));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isZero();
        byte[] g = ctx.onlyOutputFrame();
        assertThat(Wire.be16(g, 12)).isEqualTo(0x8100);
        assertThat(Wire.be16(g, 18 + 20)).isEqualTo(10);
    }

    // ---- MPLS -----------------------------------------------------------------------------------

    @Test
    void pushMplsThenPopMplsRestoresTheFrame() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet p = Frames.packet(f);
        int lse = (1234 << 12) | 0x100 | 64;
        byte[] acts = Acts.store(p.key, w -> {
            pushMpls(w, lse, 0x8847);
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putBe16(ActionAttr.POP_MPLS, 0x0800);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        byte[] pushed = ctx.outputs.get(0).frame();
        assertThat(Frames.hex(pushed)).isEqualTo(Frames.hex(Frames.cat(Arrays.copyOf(f, 12), Frames.be16(0x8847),
                new byte[] {(byte) (lse >> 24), (byte) (lse >> 16), (byte) (lse >> 8), (byte) lse},
                Arrays.copyOfRange(f, 14, f.length))));
        assertThat(ActionExecutor.isKeyValid(ctx.outputs.get(0).key())).isFalse();
        assertThat(ActionExecutor.macProto(ctx.outputs.get(0).key())).isEqualTo(FlowKey.MAC_PROTO_ETHERNET);
        Packet out = ctx.outputs.get(0).packet();
        assertThat(Wire.be32(out.buf, out.networkOff)).as("network header: the label").isEqualTo(lse);
        assertThat(ctx.outputs.get(1).frame()).isEqualTo(f);
        Packet back = ctx.outputs.get(1).packet();
        assertThat(back.networkOff - back.off).isEqualTo(14);
    }

    @Test
    void addMplsWithoutTheL3FlagPutsTheLabelInFrontOfTheEthernetHeader() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            addMpls(w, 0x00012140, 0x8847, false);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ctx.onlyOutputFrame()).isEqualTo(Frames.cat(Wire.unhex("00012140"), f));
        FlowKey k = ctx.outputs.get(0).key();
        assertThat(ActionExecutor.macProto(k)).isEqualTo(FlowKey.MAC_PROTO_NONE);
        assertThat(k.ethType()).as("skb->protocol of the L3 packet").isEqualTo(0x8847);
    }

    @Test
    void addMplsWithTheL3FlagIsPushMpls() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            addMpls(w, 0x00012140, 0x8848, true);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(Frames.hex(ctx.onlyOutputFrame()))
                .isEqualTo(Frames.hex(Frames.cat(Arrays.copyOf(f, 12), Wire.unhex("884800012140"),
                        Arrays.copyOfRange(f, 14, f.length))));
    }

    @Test
    void setMplsRewritesTheTopLabelUnderTheMask() {
        byte[] ip = Arrays.copyOfRange(Frames.eth4(Frames.UDP, 1, 2, 5), 14, 14 + 33);
        byte[] f = Frames.cat(Frames.ethHeader(0x8847), Wire.unhex("00001040" + "00002140"), ip);
        Packet p = Frames.packet(f);
        assertThat(p.key.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isEqualTo(0b11);
        byte[] v = new byte[4];
        Wire.putBe32(v, 0, 0xabcde000);
        byte[] m = new byte[4];
        Wire.putBe32(m, 0, 0xfffff000);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.setMasked(w, KeyAttr.MPLS, v, m);
            w.putBe16(ActionAttr.POP_MPLS, 0x8847);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(Frames.hex(ctx.onlyOutputFrame())).isEqualTo(Frames.hex(Frames.cat(Frames.ethHeader(0x8847),
                Wire.unhex("00002140"), ip)));
        assertThat(ctx.outputs.get(0).key().u32(FlowKey.MPLS_LSE_OFFSET)).isEqualTo(0xabcde040);
    }

    // ---- Ethernet -------------------------------------------------------------------------------

    @Test
    void popEthThenPushEthRestoresTheFrame() {
        byte[] f = Frames.eth6(Frames.TCP, 1, 2, 5);
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            w.putFlag(ActionAttr.POP_ETH);
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putBytes(ActionAttr.PUSH_ETH, Frames.cat(Frames.MAC_A, Frames.MAC_B));
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs.get(0).frame()).isEqualTo(Arrays.copyOfRange(f, 14, f.length));
        FlowKey l3 = ctx.outputs.get(0).key();
        assertThat(ActionExecutor.macProto(l3)).isEqualTo(FlowKey.MAC_PROTO_NONE);
        assertThat(ActionExecutor.isKeyValid(l3)).isFalse();
        assertThat(ctx.outputs.get(1).frame()).isEqualTo(f);
        assertThat(ActionExecutor.macProto(ctx.outputs.get(1).key())).isEqualTo(FlowKey.MAC_PROTO_ETHERNET);
    }

    @Test
    void pushEthOnAnL3PacketUsesItsProtocol() {
        byte[] ip = Arrays.copyOfRange(Frames.eth4(Frames.UDP, 1, 2, 5), 14, 14 + 33);
        Packet p = Frames.l3Packet(ip, 0x0800);
        byte[] acts = Acts.store(p.key, w -> {
            w.putBytes(ActionAttr.PUSH_ETH, Frames.cat(Frames.MAC_A, Frames.MAC_B));
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        ctx.run(p, acts);
        assertThat(ctx.onlyOutputFrame()).isEqualTo(Frames.cat(Frames.ethHeader(0x0800), ip));
    }

    // ---- NSH ------------------------------------------------------------------------------------

    static final String NSH_HDR = "0fc6" + "01" + "03" + "00012301" + "11111111222222223333333344444444";

    static void nshKey(NlWriter w, int type) {
        Acts.nest(w, type, n -> {
            n.putBytes(NshKeyAttr.BASE, Wire.unhex("003f0100" + "00012301"));
            n.putBytes(NshKeyAttr.MD1, Wire.unhex("11111111222222223333333344444444"));
        });
    }

    @Test
    void pushNshWrapsAnEthernetFrameAndPopNshUnwrapsIt() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.PUSH_NSH, a -> nshKey(a, KeyAttr.NSH));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isZero();
        byte[] wrapped = ctx.onlyOutputFrame();
        // ver 0, flags 0, ttl 63, len 6 words; MD type 1; next protocol 3 (Ethernet)
        assertThat(Frames.hex(wrapped)).isEqualTo(NSH_HDR + Frames.hex(f));
        FlowKey k = ctx.outputs.get(0).key();
        assertThat(ActionExecutor.macProto(k)).isEqualTo(FlowKey.MAC_PROTO_NONE);
        assertThat(k.ethType()).isEqualTo(0x894f);

        Packet n = nshPacket(wrapped);
        byte[] pop = Acts.store(n.key, w -> {
            w.putFlag(ActionAttr.POP_NSH);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        ctx.outputs.clear();
        assertThat(ctx.run(n, pop)).isZero();
        assertThat(ctx.onlyOutputFrame()).isEqualTo(f);
        assertThat(ActionExecutor.macProto(ctx.outputs.get(0).key())).isEqualTo(FlowKey.MAC_PROTO_ETHERNET);
    }

    /** An L3 NSH packet with the key fields validation looks at. */
    static Packet nshPacket(byte[] frame) {
        Packet n = Frames.l3Packet(frame, 0x894f);
        n.key.u8(FlowKey.NSH_MDTYPE_OFFSET, 1);
        n.key.u8(FlowKey.NSH_NP_OFFSET, frame[3]);
        return n;
    }

    @Test
    void setNshReadsEachMaskFromTheBytesAfterItsValueAsLinuxDoes() {
        byte[] inner = Frames.eth4(Frames.UDP, 1, 2, 5);
        Packet n = nshPacket(Frames.cat(Wire.unhex(NSH_HDR), inner));
        byte[] acts = Acts.store(n.key, w -> {
            Acts.nest(w, ActionAttr.SET, s -> Acts.nest(s, KeyAttr.NSH, k -> {
                k.putBytes(NshKeyAttr.BASE, Wire.unhex("00050100" + "00abcd02"));
                k.putBytes(NshKeyAttr.MD1, Wire.unhex("ffffffff" + "55555555" + "66666666" + "77777777"));
            }));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(n, acts)).isZero();
        byte[] g = ctx.onlyOutputFrame();
        // BASE's mask is the MD1 header (14 00 02 00) and its first word: the TTL mask byte is 0, so the
        // TTL stays 63; the path mask is ffffffff, so the path is replaced. MD1's mask is the all-ones tail.
        assertThat(Frames.hex(Arrays.copyOf(g, 24)))
                .isEqualTo("0fc6" + "0103" + "00abcd02" + "ffffffff555555556666666677777777");
        FlowKey k = ctx.outputs.get(0).key();
        assertThat(k.u8(FlowKey.NSH_TTL_OFFSET)).isEqualTo(63);
        assertThat(k.u32(FlowKey.NSH_PATH_HDR_OFFSET)).isEqualTo(0x00abcd02);
        assertThat(k.u32(FlowKey.NSH_CONTEXT_OFFSET + 4)).isEqualTo(0x55555555);
        assertThat(Arrays.copyOfRange(g, 24, g.length)).isEqualTo(inner);
    }
}
