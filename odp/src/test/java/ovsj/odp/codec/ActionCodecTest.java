package ovsj.odp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.NatAttr;
import ovsj.odp.uapi.SampleAttr;
import ovsj.odp.uapi.TunnelKeyAttr;
import ovsj.odp.uapi.UserspaceAttr;

/** Behaviours of {@link ActionCodec} that the kernel vectors do not pin down, from the 6.1 sources. */
class ActionCodecTest {
    static final String REFUSAL = "openvswitch: netlink: Flow actions may not be safe on all matching packets.";

    /** A masked key: Ethernet, the given ether type and IP protocol. */
    static FlowKey key(int ethType, int ipProto) {
        FlowKey k = new FlowKey();
        k.u16(FlowKey.ETH_TYPE_OFFSET, ethType);
        k.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_ETHERNET);
        k.u8(FlowKey.IP_PROTO_OFFSET, ipProto);
        return k;
    }

    static final FlowKey UDP4 = key(0x0800, 17);

    /** Builds an action list (the ACTIONS payload). */
    static byte[] actions(Consumer<NlWriter> body) {
        NlWriter w = new NlWriter(64);
        body.accept(w);
        return w.toByteArray();
    }

    static void nest(NlWriter w, int type, Consumer<NlWriter> body) {
        int n = w.beginNest(type);
        body.accept(w);
        w.endNest(n);
    }

    /** Result of one copyActions call. */
    record Copy(int err, byte[] stored, List<String> log) {
        /** The reply's ACTIONS payload (header stripped). */
        byte[] reply() {
            NlWriter w = new NlWriter(64);
            assertThat(ActionCodec.putActions(w, stored, 0, stored.length)).isZero();
            assertThat(ActionCodec.replySize(stored, 0, stored.length)).as("replySize").isEqualTo(w.position());
            byte[] all = w.toByteArray();
            return java.util.Arrays.copyOfRange(all, 4, NlAttr.len(all, 0));
        }
    }

    static Copy copy(byte[] acts, FlowKey key) {
        return copy(acts, key, ActionCaller.FLOW_NEW);
    }

    static Copy copy(byte[] acts, FlowKey key, ActionCaller caller) {
        List<String> log = new ArrayList<>();
        NlWriter out = new NlWriter(64);
        int err = ActionCodec.copyActions(acts, 0, acts.length, key, out, log::add, caller);
        return new Copy(err, out.toByteArray(), log);
    }

    static String hex(byte[] b) {
        return Wire.hex(b, 0, b.length);
    }

    static void ipv4(NlWriter w, int dst, int proto, int ttl) {
        int p = w.reserve(KeyAttr.IPV4, 12);
        Wire.putBe32(w.buffer(), p, 0x0a000001);
        Wire.putBe32(w.buffer(), p + 4, dst);
        w.buffer()[p + 8] = (byte) proto;
        w.buffer()[p + 10] = (byte) ttl;
    }

    @Test
    void nonMaskedSetIsStoredAsMaskedSetWithFullMaskAndReportedAsTheOriginalSet() {
        byte[] acts = actions(w -> nest(w, ActionAttr.SET, s -> ipv4(s, 0xc0a80009, 17, 63)));
        Copy c = copy(acts, UDP4);
        assertThat(c.err()).isZero();
        // SET_TO_MASKED(25) { IPV4(7) { value 12 bytes | mask 12 x ff } }
        assertThat(hex(c.stored())).isEqualTo("20001900" + "1c000700" + "0a000001c0a800091100" + "3f00"
                + "ffffffffffffffffffffffff");
        assertThat(hex(c.reply())).isEqualTo(hex(acts));
    }

    @Test
    void nonMaskedSetOfIpv6KeepsTheUpperTwelveLabelBitsOutOfTheMask() {
        byte[] acts = actions(w -> nest(w, ActionAttr.SET, s -> {
            int p = s.reserve(KeyAttr.IPV6, 40);
            s.buffer()[p + 36] = 6;
        }));
        Copy c = copy(acts, key(0x86dd, 6));
        assertThat(c.err()).isZero();
        int mask = 4 + 4 + 40;
        assertThat(Wire.be32(c.stored(), mask + 32)).isEqualTo(0x000fffff);
        assertThat(hex(c.reply())).isEqualTo(hex(acts));
    }

    @Test
    void setOfIpv4MayNotChangeProtoButMaySetTtlWhenTheFlowWildcardsIt() {
        assertThat(copy(actions(w -> nest(w, ActionAttr.SET, s -> ipv4(s, 1, 6, 0))), UDP4).err()).isEqualTo(-22);
        // The masked key decides: a flow that wildcards proto (0) must not be given proto 17.
        assertThat(copy(actions(w -> nest(w, ActionAttr.SET, s -> ipv4(s, 1, 17, 0))), key(0x0800, 0)).err())
                .isEqualTo(-22);
        assertThat(copy(actions(w -> nest(w, ActionAttr.SET, s -> ipv4(s, 1, 0, 9))), key(0x0800, 0)).err())
                .isZero();
    }

    @Test
    void maskedSetNeedsValueBitsInsideTheMaskAndIsStoredVerbatim() {
        byte[] ok = actions(w -> nest(w, ActionAttr.SET_MASKED, s -> {
            int p = s.reserve(KeyAttr.SKB_MARK, 8);
            Wire.putU32(s.buffer(), p, 0x0f);
            Wire.putU32(s.buffer(), p + 4, 0xff);
        }));
        Copy c = copy(ok, UDP4);
        assertThat(c.err()).isZero();
        assertThat(hex(c.stored())).isEqualTo(hex(ok));
        assertThat(hex(c.reply())).isEqualTo(hex(ok));
        byte[] bad = ok.clone();
        bad[8] = (byte) 0xf0; // mask 0x0f: value bit outside
        bad[12] = 0x0f;
        assertThat(copy(bad, UDP4).err()).isEqualTo(-22);
    }

    @Test
    void actionsNestedSixteenDeepAreAcceptedAndSeventeenOverflow() {
        for (int depth : new int[] {16, 17}) {
            Consumer<NlWriter> inner = w -> w.putU32(ActionAttr.OUTPUT, 1);
            for (int i = 0; i < depth; i++) {
                Consumer<NlWriter> body = inner;
                inner = w -> nest(w, ActionAttr.CLONE, body);
            }
            Copy c = copy(actions(inner), UDP4);
            assertThat(c.err()).as("depth %d", depth).isEqualTo(depth == 16 ? 0 : -75);
            assertThat(c.log()).isEqualTo(depth == 16 ? List.of() : List.of(REFUSAL));
        }
    }

    @Test
    void sampleIsStoredWithItsProbabilityAndWhetherItMayRunInPlace() {
        Consumer<NlWriter> sample = w -> nest(w, ActionAttr.SAMPLE, s -> {
            s.putU32(SampleAttr.PROBABILITY, 7);
            nest(s, SampleAttr.ACTIONS, a -> nest(a, ActionAttr.SET, k -> k.putU32(KeyAttr.SKB_MARK, 1)));
        });
        Copy last = copy(actions(sample), UDP4);
        // SAMPLE { ARG(4) { probability=7, exec=1 (last action) } SET_TO_MASKED ... }
        assertThat(hex(last.stored())).startsWith("20000600" + "0c000400" + "07000000" + "01000000");
        Copy notLast = copy(actions(w -> {
            sample.accept(w);
            w.putU32(ActionAttr.OUTPUT, 1);
        }), UDP4);
        assertThat(Wire.u32(notLast.stored(), 12)).as("exec: the set changes the key").isZero();
        assertThat(hex(notLast.reply())).isEqualTo(hex(actions(w -> {
            sample.accept(w);
            w.putU32(ActionAttr.OUTPUT, 1);
        })));
    }

    @Test
    void checkPktLenIsReportedLessOrEqualFirstAndRefusesUnknownAttributes() {
        byte[] acts = actions(w -> nest(w, ActionAttr.CHECK_PKT_LEN, c -> {
            c.putU16(CheckPktLenAttr.PKT_LEN, 100);
            nest(c, CheckPktLenAttr.ACTIONS_IF_GREATER, a -> a.putU32(ActionAttr.OUTPUT, 1));
            nest(c, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL, a -> a.putU32(ActionAttr.OUTPUT, 2));
        }));
        Copy c = copy(acts, UDP4);
        assertThat(c.err()).isZero();
        assertThat(hex(c.reply())).isEqualTo(hex(actions(w -> nest(w, ActionAttr.CHECK_PKT_LEN, x -> {
            x.putU16(CheckPktLenAttr.PKT_LEN, 100);
            nest(x, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL, a -> a.putU32(ActionAttr.OUTPUT, 2));
            nest(x, CheckPktLenAttr.ACTIONS_IF_GREATER, a -> a.putU32(ActionAttr.OUTPUT, 1));
        }))));
        byte[] unknown = actions(w -> nest(w, ActionAttr.CHECK_PKT_LEN, x -> {
            x.putU16(CheckPktLenAttr.PKT_LEN, 100);
            nest(x, CheckPktLenAttr.ACTIONS_IF_GREATER, a -> { });
            nest(x, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL, a -> { });
            x.putU32(9, 0); // strict parse: unknown type
        }));
        assertThat(copy(unknown, UDP4).err()).isEqualTo(-22);
    }

    @Test
    void userspacePidOfSixBytesIsAcceptedWithTheParserWarningEvenForProbes() {
        byte[] acts = actions(w -> nest(w, ActionAttr.USERSPACE, u -> {
            int p = u.reserve(UserspaceAttr.PID, 6);
            Wire.putU32(u.buffer(), p, 100);
        }));
        Copy c = copy(acts, UDP4, ActionCaller.FLOW_NEW.probe().withComm("ovs-vswitchd"));
        assertThat(c.err()).isZero();
        assertThat(c.log()).containsExactly("netlink: 'ovs-vswitchd': attribute type 1 has an invalid length.");
        assertThat(hex(c.reply())).isEqualTo(hex(acts));
    }

    @Test
    void userspaceTrailingBytesAreWarnedAboutButAccepted() {
        byte[] acts = actions(w -> {
            int p = w.reserve(ActionAttr.USERSPACE, 12);
            Wire.putU16(w.buffer(), p, 8);
            Wire.putU16(w.buffer(), p + 2, UserspaceAttr.PID);
            Wire.putU32(w.buffer(), p + 4, 5);
        });
        Copy c = copy(acts, UDP4);
        assertThat(c.err()).isZero();
        assertThat(c.log()).containsExactly(
                "netlink: 4 bytes leftover after parsing attributes in process `nlreplay'.");
    }

    @Test
    void eachCallerLogsItsOwnRefusalAndProbesLogNoOvsNlerr() {
        byte[] bad = actions(w -> w.putU32(ActionAttr.OUTPUT, 65535));
        assertThat(copy(bad, UDP4, ActionCaller.FLOW_SET).log())
                .containsExactly("openvswitch: netlink: Actions may not be safe on all matching packets");
        assertThat(copy(bad, UDP4, ActionCaller.PACKET_EXECUTE).log()).isEmpty();
        assertThat(copy(bad, UDP4, ActionCaller.FLOW_NEW.probe()).log()).isEmpty();
        assertThat(copy(bad, UDP4).log()).containsExactly(REFUSAL);
    }

    @Test
    void ctIsStoredAndReportedInTheKernelsCanonicalForm() {
        byte[] acts = actions(w -> nest(w, ActionAttr.CT, c -> {
            nest(c, CtAttr.NAT, n -> {
                n.putFlag(NatAttr.SRC);
                n.putBe32(NatAttr.IP_MIN, 0x0a000001);
                n.putBe32(NatAttr.IP_MAX, 0x0a000001);
                n.putU16(NatAttr.PROTO_MIN, 1000);
                n.putU16(NatAttr.PROTO_MAX, 2000);
            });
        }));
        // NAT before COMMIT: the commit check runs while parsing NAT.
        Copy early = copy(actions(w -> {
            int n = w.beginNest(ActionAttr.CT);
            w.putBytes(CtAttr.NAT, acts, 8, acts.length - 8);
            w.putFlag(CtAttr.COMMIT);
            w.endNest(n);
        }), UDP4);
        assertThat(early.err()).isEqualTo(-22);
        assertThat(early.log()).containsExactly(
                "netlink: NAT attributes may be specified only when CT COMMIT flag is also specified.", REFUSAL);

        byte[] ok = actions(w -> nest(w, ActionAttr.CT, c -> {
            c.putFlag(CtAttr.COMMIT);
            c.putBytes(CtAttr.NAT, acts, 8, acts.length - 8);
        }));
        Copy c = copy(ok, UDP4);
        assertThat(c.err()).isZero();
        assertThat(hex(c.reply())).isEqualTo(hex(actions(w -> nest(w, ActionAttr.CT, x -> {
            x.putFlag(CtAttr.COMMIT);
            x.putU16(CtAttr.ZONE, 0); // always reported
            nest(x, CtAttr.NAT, n -> {
                n.putFlag(NatAttr.SRC);
                n.putBe32(NatAttr.IP_MIN, 0x0a000001); // IP_MAX equal to IP_MIN is left out
                n.putU16(NatAttr.PROTO_MIN, 1000);
                n.putU16(NatAttr.PROTO_MAX, 2000);
            });
        }))));
        assertThat(hex(c.stored())).isEqualTo(hex(c.reply()));
    }

    @Test
    void ctNeedsAnIpFlowAKnownHelperAndCommitForMarks() {
        byte[] plain = actions(w -> nest(w, ActionAttr.CT, c -> c.putU16(CtAttr.ZONE, 3)));
        assertThat(copy(plain, key(0x0806, 1)).log()).containsExactly("netlink: ct family unspecified", REFUSAL);
        assertThat(copy(actions(w -> nest(w, ActionAttr.CT, c -> c.putString(CtAttr.HELPER, "ftp"))),
                key(0x0800, 6)).err()).isZero();
        assertThat(copy(actions(w -> nest(w, ActionAttr.CT, c -> c.putString(CtAttr.HELPER, "ftp"))), UDP4).log())
                .containsExactly("netlink: Unknown helper \"ftp\"", REFUSAL);
        byte[] mark = actions(w -> nest(w, ActionAttr.CT, c -> {
            int p = c.reserve(CtAttr.MARK, 8);
            Wire.putU32(c.buffer(), p + 4, 0xff);
        }));
        assertThat(copy(mark, UDP4).log())
                .containsExactly("netlink: Setting conntrack mark requires 'commit' flag.", REFUSAL);
    }

    @Test
    void popMplsOfTheLastLabelForbidsLaterMplsSets() {
        FlowKey mpls1 = key(0x8847, 0);
        mpls1.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, 0b1);
        FlowKey mpls2 = key(0x8847, 0);
        mpls2.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, 0b11);
        byte[] acts = actions(w -> {
            w.putBe16(ActionAttr.POP_MPLS, 0x8847);
            nest(w, ActionAttr.SET, s -> s.putBe32(KeyAttr.MPLS, 0x12345140));
        });
        assertThat(copy(acts, mpls1).err()).isEqualTo(-22);
        assertThat(copy(acts, mpls2).err()).isZero();
    }

    @Test
    void macProtoIsFollowedAlongTheListButRestartsInNestedLists() {
        FlowKey l3 = key(0x0800, 17);
        l3.u8(FlowKey.MAC_PROTO_OFFSET, FlowKey.MAC_PROTO_NONE);
        byte[] pushEth = actions(w -> {
            w.putBytes(ActionAttr.PUSH_ETH, new byte[12]);
            w.putBe32(ActionAttr.PUSH_VLAN, 0x81001005);
        });
        assertThat(copy(pushEth, l3).err()).isZero();
        byte[] nested = actions(w -> {
            w.putBytes(ActionAttr.PUSH_ETH, new byte[12]);
            nest(w, ActionAttr.CLONE, c -> c.putBe32(ActionAttr.PUSH_VLAN, 0x81001005));
        });
        assertThat(copy(nested, l3).err()).isEqualTo(-22);
        assertThat(copy(actions(w -> w.putFlag(ActionAttr.POP_ETH)), l3).err()).isEqualTo(-22);
    }

    @Test
    void onlyTheL4HashOf61IsAccepted() {
        assertThat(copy(actions(w -> w.putU64(ActionAttr.HASH, 0)), UDP4).err()).isZero();
        assertThat(copy(actions(w -> w.putU64(ActionAttr.HASH, 1)), UDP4).err()).isEqualTo(-22);
    }

    @Test
    void typesBeyondDecTtlIncludingTheLaterDropAndTheInternalSetToMaskedAreRefused() {
        for (int type : new int[] {24, 25, 26}) {
            assertThat(copy(actions(w -> w.putU32(type, 0)), UDP4).err()).isEqualTo(-22);
        }
    }

    @Test
    void setTunnelStoresTheKeyForExecutionAndTheReplyForm() {
        byte[] acts = actions(w -> nest(w, ActionAttr.SET, s -> nest(s, KeyAttr.TUNNEL, t -> {
            t.putBe64(TunnelKeyAttr.ID, 0x1234);
            t.putBe32(TunnelKeyAttr.IPV4_DST, 0xc0a80707);
            t.putU8(TunnelKeyAttr.TOS, 0);
            t.putU8(TunnelKeyAttr.TTL, 64);
        })));
        Copy c = copy(acts, UDP4);
        assertThat(c.err()).isZero();
        int info = 8; // SET header, TUNNEL_INFO header
        assertThat(NlAttr.type(c.stored(), 4)).isEqualTo(KeyAttr.TUNNEL_INFO);
        assertThat(Wire.u32(c.stored(), info)).as("mode TX").isEqualTo(1);
        assertThat(Wire.u64(c.stored(), info + 4 + FlowKey.TUN_ID_OFFSET)).isEqualTo(0x1234);
        assertThat(Wire.u32(c.stored(), info + 4 + FlowKey.TUN_IPV4_DST_OFFSET)).isEqualTo(0xc0a80707);
        // Reported without the zero TOS, as ip_tun_to_nlattr writes it.
        assertThat(hex(c.reply())).isEqualTo(hex(actions(w -> nest(w, ActionAttr.SET, s -> nest(s, KeyAttr.TUNNEL,
                t -> {
                    t.putBe64(TunnelKeyAttr.ID, 0x1234);
                    t.putBe32(TunnelKeyAttr.IPV4_DST, 0xc0a80707);
                    t.putU8(TunnelKeyAttr.TTL, 64);
                })))));
        assertThat(copy(actions(w -> nest(w, ActionAttr.SET_MASKED, s -> nest(s, KeyAttr.TUNNEL, t -> { }))),
                UDP4).err()).isEqualTo(-22);
    }

    @Test
    void errorsLeaveTheOutputWhereItWasAndBoundedWritersOverflowWithEmsgsize() {
        NlWriter out = new NlWriter(64);
        out.putU32(1, 42);
        byte[] bad = actions(w -> {
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putU32(ActionAttr.OUTPUT, 70000);
        });
        assertThat(ActionCodec.copyActions(bad, 0, bad.length, UDP4, out, line -> { })).isEqualTo(-22);
        assertThat(out.position()).isEqualTo(8);

        byte[] many = actions(w -> {
            for (int i = 0; i < 10; i++) {
                w.putU32(ActionAttr.OUTPUT, i);
            }
        });
        NlWriter small = new NlWriter(new byte[40], 40);
        assertThat(ActionCodec.copyActions(many, 0, many.length, UDP4, small, line -> { })).isEqualTo(-90);
        assertThat(small.position()).isZero();

        NlWriter reply = new NlWriter(new byte[40], 40);
        reply.putU32(9, 9);
        assertThat(ActionCodec.putActions(reply, many, 0, many.length)).isEqualTo(-90);
        assertThat(reply.position()).isEqualTo(8);
        assertThat(reply.overflowed()).isFalse();
    }
}
