package ovsj.odp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.DecTtlAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.SampleAttr;
import ovsj.odp.uapi.UserspaceAttr;

/** Seeded random action lists: valid ones round-trip, anything else is refused cleanly. */
class ActionPropertiesTest {
    static final FlowKey UDP4 = ActionCodecTest.UDP4;

    static FlowKey[] keys() {
        FlowKey tcp6 = ActionCodecTest.key(0x86dd, 6);
        FlowKey mpls = ActionCodecTest.key(0x8847, 0);
        mpls.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, 0b11);
        FlowKey l3 = ActionCodecTest.key(0x0800, 1);
        l3.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_NONE);
        FlowKey nsh = ActionCodecTest.key(0x894f, 0);
        nsh.u8(FlowKey.NSH_NP_OFFSET, 1);
        FlowKey vlan = ActionCodecTest.key(0x0806, 1);
        vlan.u16(FlowKey.VLAN_TCI_OFFSET, 0x1064);
        return new FlowKey[] {UDP4, tcp6, mpls, l3, nsh, vlan};
    }

    /** Appends a random list of actions that are all valid for {@link #UDP4}. */
    static void validList(SplittableRandom r, NlWriter w, int depth) {
        int n = r.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(depth < 4 ? 16 : 11);
            switch (kind) {
                case 0 -> w.putU32(ActionAttr.OUTPUT, r.nextInt(65535));
                case 1 -> w.putU32(ActionAttr.RECIRC, r.nextInt());
                case 2 -> w.putU64(ActionAttr.HASH, (long) r.nextInt() << 32);
                case 3 -> w.putU32(ActionAttr.TRUNC, 14 + r.nextInt(9000));
                case 4 -> w.putU32(ActionAttr.METER, r.nextInt());
                case 5 -> w.putFlag(ActionAttr.CT_CLEAR);
                case 6 -> ActionCodecTest.nest(w, ActionAttr.USERSPACE, u -> {
                    u.putU32(UserspaceAttr.PID, 1 + r.nextInt(1000));
                    if (r.nextBoolean()) {
                        byte[] data = new byte[r.nextInt(20)];
                        r.nextBytes(data);
                        u.putBytes(UserspaceAttr.USERDATA, data);
                    }
                    if (r.nextBoolean()) {
                        u.putU32(UserspaceAttr.EGRESS_TUN_PORT, r.nextInt(100));
                    }
                    if (r.nextBoolean()) {
                        u.putFlag(UserspaceAttr.ACTIONS);
                    }
                });
                case 7 -> ActionCodecTest.nest(w, ActionAttr.SET, s -> {
                    switch (r.nextInt(4)) {
                        case 0 -> s.putU32(KeyAttr.SKB_MARK, r.nextInt());
                        case 1 -> s.putU32(KeyAttr.PRIORITY, r.nextInt());
                        case 2 -> {
                            byte[] eth = new byte[12];
                            r.nextBytes(eth);
                            s.putBytes(KeyAttr.ETHERNET, eth);
                        }
                        default -> ActionCodecTest.ipv4(s, r.nextInt(), 17, r.nextInt(256));
                    }
                });
                case 8 -> ActionCodecTest.nest(w, ActionAttr.SET_MASKED, s -> {
                    int p = s.reserve(KeyAttr.UDP, 8);
                    int mask = r.nextInt();
                    Wire.putU32(s.buffer(), p, r.nextInt() & mask);
                    Wire.putU32(s.buffer(), p + 4, mask);
                });
                case 9 -> ActionCodecTest.nest(w, ActionAttr.CT, c -> {
                    boolean commit = r.nextBoolean();
                    if (commit) {
                        c.putFlag(r.nextBoolean() ? CtAttr.COMMIT : CtAttr.FORCE_COMMIT);
                    }
                    c.putU16(CtAttr.ZONE, r.nextInt(65536));
                    if (commit && r.nextBoolean()) {
                        c.putU64(CtAttr.MARK, ((long) (r.nextInt() | 1) << 32) | r.nextInt(16));
                    }
                    if (r.nextBoolean()) {
                        c.putU32(CtAttr.EVENTMASK, r.nextInt());
                    }
                });
                case 10 -> w.putFlag(ActionAttr.POP_VLAN);
                case 11 -> ActionCodecTest.nest(w, ActionAttr.SAMPLE, s -> {
                    s.putU32(SampleAttr.PROBABILITY, r.nextInt());
                    ActionCodecTest.nest(s, SampleAttr.ACTIONS, a -> validList(r, a, depth + 1));
                });
                case 12 -> ActionCodecTest.nest(w, ActionAttr.CLONE, a -> validList(r, a, depth + 1));
                case 13 -> ActionCodecTest.nest(w, ActionAttr.CHECK_PKT_LEN, c -> {
                    c.putU16(CheckPktLenAttr.PKT_LEN, 1 + r.nextInt(65535));
                    ActionCodecTest.nest(c, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL, a -> validList(r, a, depth + 1));
                    ActionCodecTest.nest(c, CheckPktLenAttr.ACTIONS_IF_GREATER, a -> validList(r, a, depth + 1));
                });
                case 14 -> ActionCodecTest.nest(w, ActionAttr.DEC_TTL,
                        d -> ActionCodecTest.nest(d, DecTtlAttr.ACTION, a -> validList(r, a, depth + 1)));
                default -> w.putBe32(ActionAttr.PUSH_VLAN, 0x81001000 | r.nextInt(0x1000));
            }
        }
    }

    @Test
    void randomValidListsAreAcceptedAndReportedExactlyAsSent() {
        SplittableRandom r = new SplittableRandom(0x0a5c0de);
        for (int i = 0; i < 3000; i++) {
            byte[] acts = ActionCodecTest.actions(w -> validList(r, w, 0));
            ActionCodecTest.Copy c = ActionCodecTest.copy(acts, UDP4);
            assertThat(c.err()).as("list %d: %s", i, ActionCodecTest.hex(acts)).isZero();
            assertThat(c.log()).isEmpty();
            assertThat(ActionCodecTest.hex(c.reply())).as("list %d", i).isEqualTo(ActionCodecTest.hex(acts));
        }
    }

    @Test
    void randomBytesNeverThrowAndGiveZeroOrANegativeErrno() {
        SplittableRandom r = new SplittableRandom(42);
        FlowKey[] keys = keys();
        for (int i = 0; i < 20000; i++) {
            byte[] acts = new byte[r.nextInt(120)];
            r.nextBytes(acts);
            if (r.nextBoolean() && acts.length >= 4) {
                // A plausible first header, so the parsers get past the first attribute more often.
                Wire.putU16(acts, 0, 4 + r.nextInt(acts.length - 3));
                Wire.putU16(acts, 2, r.nextInt(26) | (r.nextInt(8) == 0 ? NlAttr.F_NESTED : 0));
            }
            checkClean(acts, keys[r.nextInt(keys.length)]);
        }
    }

    @Test
    void mutatedValidListsNeverThrowAndWhatIsAcceptedIsStableThroughItsReply() {
        SplittableRandom r = new SplittableRandom(7);
        FlowKey[] keys = keys();
        int accepted = 0;
        for (int i = 0; i < 20000; i++) {
            byte[] acts = ActionCodecTest.actions(w -> validList(r, w, 0));
            if (acts.length == 0) {
                continue;
            }
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                acts[r.nextInt(acts.length)] ^= (byte) (1 << r.nextInt(8));
            }
            accepted += checkClean(acts, keys[r.nextInt(keys.length)]) ? 1 : 0;
        }
        assertThat(accepted).as("some mutations stay valid").isGreaterThan(1000);
    }

    /**
     * copyActions returns 0 or -errno without throwing; an accepted list's reply, sent again, is
     * accepted and stored identically. Returns whether the list was accepted.
     */
    private static boolean checkClean(byte[] acts, FlowKey key) {
        List<String> log = new ArrayList<>();
        NlWriter out = new NlWriter(64);
        int err = ActionCodec.copyActions(acts, 0, acts.length, key, out, log::add);
        assertThat(err).as(ActionCodecTest.hex(acts)).isLessThanOrEqualTo(0).isGreaterThan(-4096);
        if (err != 0) {
            assertThat(out.position()).isZero();
            assertThat(log).isNotEmpty();
            return false;
        }
        NlWriter reply = new NlWriter(64);
        assertThat(ActionCodec.putActions(reply, out.buffer(), 0, out.position())).isZero();
        assertThat(ActionCodec.replySize(out.buffer(), 0, out.position())).as("replySize").isEqualTo(reply.position());
        byte[] r = reply.buffer();
        NlWriter again = new NlWriter(64);
        int err2 = ActionCodec.copyActions(r, 4, NlAttr.len(r, 0) - 4, key, again, KernelLog.NONE);
        assertThat(err2).as("reply of %s", ActionCodecTest.hex(acts)).isZero();
        assertThat(Wire.hex(again.buffer(), 0, again.position()))
                .as("stored again from the reply of %s", ActionCodecTest.hex(acts))
                .isEqualTo(Wire.hex(out.buffer(), 0, out.position()));
        return true;
    }
}
