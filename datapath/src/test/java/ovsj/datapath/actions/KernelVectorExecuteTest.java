package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ovsj.datapath.Packet;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.netlink.testing.KernelVectors;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.PacketCmd;

/**
 * The EXECUTE steps of the kernel vectors' packet scenario (021 userspace, 022 output, 023
 * set_masked(ipv4 dst) + userspace): the executor produces the packet, key and userdata of the
 * {@code OVS_PACKET_CMD_ACTION} upcalls Linux sent, byte for byte.
 */
class KernelVectorExecuteTest {
    /** Offset of the first attribute after nlmsghdr, genlmsghdr and ovs_header. */
    static final int ATTRS = NlMsgHdr.LENGTH + 4 + 4;

    /** Offset in {@code msg} of the attribute header of {@code type}, or -1. */
    static int attr(byte[] msg, int type) {
        NlAttrReader r = new NlAttrReader().wrap(msg, ATTRS, NlMsgHdr.len(msg, 0) - ATTRS);
        while (r.next()) {
            if (r.type() == type) {
                return r.offset();
            }
        }
        return -1;
    }

    static byte[] payload(byte[] msg, int type) {
        int a = attr(msg, type);
        return a < 0 ? null : Arrays.copyOfRange(msg, a + NlAttr.HEADER_LENGTH, a + NlAttr.len(msg, a));
    }

    @ParameterizedTest
    @ValueSource(strings = {"021-execute-userspace", "022-execute-output", "023-execute-set-userspace"})
    void executeStepsGiveTheUpcallsLinuxSent(String step) {
        KernelVectors.Exchange x = KernelVectors.step("packet", step);
        byte[] req = x.request();
        byte[] frame = payload(req, PacketAttr.PACKET);

        // ovs_packet_cmd_execute: the key from KEY, the frame's offsets from key extraction
        FlowKey key = new FlowKey();
        assertThat(new KeyParser().parseMatch(req, attr(req, PacketAttr.KEY), -1, key, null, KernelLog.NONE)).isZero();
        Packet p = new Packet().wrap(frame, 0, frame.length, key.inPort());
        Frames.extract(p, new FlowKey(), true, 0);
        p.key.copyFrom(key);
        byte[] stored = Acts.store(payload(req, PacketAttr.ACTIONS), key);

        RecordingContext ctx = new RecordingContext();
        assertThat(ctx.run(p, stored)).isZero();

        int packetFamily = KernelVectors.familyId("ovs_packet");
        var upcalls = x.repliesOfType(packetFamily);
        assertThat(ctx.upcalls).hasSize(upcalls.size());
        for (int i = 0; i < upcalls.size(); i++) {
            byte[] msg = upcalls.get(i);
            RecordingContext.Upcall u = ctx.upcalls.get(i);
            assertThat(Wire.u8(msg, NlMsgHdr.LENGTH)).isEqualTo(PacketCmd.ACTION);
            assertThat(u.info().cmd()).isEqualTo(PacketCmd.ACTION);
            assertThat(Frames.hex(u.frame())).as("PACKET").isEqualTo(Frames.hex(payload(msg, PacketAttr.PACKET)));
            byte[] userdata = payload(msg, PacketAttr.USERDATA);
            assertThat(u.userdata()).as("USERDATA").isEqualTo(userdata);
            assertThat(u.info().portId()).as("the pid the upcall went to").isEqualTo(NlMsgHdr.pid(x.errorReply(), 0));
            // OVS_PACKET_ATTR_HASH: skb->hash | sw bit << 32 | l4 bit << 33
            assertThat(Wire.u64(payload(msg, PacketAttr.HASH), 0)).isEqualTo(u.hash() & 0xffffffffL);

            NlWriter w = new NlWriter(256);
            KeyEmitter.put(w, u.key(), u.key(), PacketAttr.KEY, false);
            int k = attr(msg, PacketAttr.KEY);
            assertThat(Frames.hex(w.toByteArray())).as("KEY")
                    .isEqualTo(Frames.hex(Arrays.copyOfRange(msg, k, k + NlAttr.len(msg, k))));
        }
        if (step.startsWith("022")) {
            assertThat(ctx.outputs).extracting(RecordingContext.Output::port).containsExactly(2);
            assertThat(ctx.outputs.get(0).frame()).isEqualTo(frame);
        } else {
            assertThat(ctx.outputs).isEmpty();
        }
    }
}
