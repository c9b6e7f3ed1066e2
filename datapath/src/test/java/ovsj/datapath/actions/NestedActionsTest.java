package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.CtState;
import ovsj.odp.uapi.DecTtlAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.SampleAttr;

/** sample, clone, check_pkt_len, dec_ttl, recirc and deferral, hash, meter, ct. */
class NestedActionsTest {
    static final int NH = 14;
    final RecordingContext ctx = new RecordingContext();

    static void sample(NlWriter w, int probability, Consumer<NlWriter> body) {
        Acts.nest(w, ActionAttr.SAMPLE, s -> {
            s.putU32(SampleAttr.PROBABILITY, probability);
            Acts.nest(s, SampleAttr.ACTIONS, body);
        });
    }

    static void checkPktLen(NlWriter w, int len, Consumer<NlWriter> le, Consumer<NlWriter> gt) {
        Acts.nest(w, ActionAttr.CHECK_PKT_LEN, c -> {
            c.putU16(CheckPktLenAttr.PKT_LEN, len);
            Acts.nest(c, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL, le);
            Acts.nest(c, CheckPktLenAttr.ACTIONS_IF_GREATER, gt);
        });
    }

    static void decTtl(NlWriter w, Consumer<NlWriter> onExpiry) {
        Acts.nest(w, ActionAttr.DEC_TTL, d -> Acts.nest(d, DecTtlAttr.ACTION, onExpiry));
    }

    int[] ports() {
        return ctx.outputs.stream().mapToInt(RecordingContext.Output::port).toArray();
    }

    // ---- sample ---------------------------------------------------------------------------------

    @Test
    void sampleWithProbabilityZeroNeverRunsAndAllOnesAlwaysRuns() {
        for (int random : new int[] {0, 1, 0x7fffffff, -2, -1}) {
            ctx.random = () -> random;
            Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 0));
            byte[] acts = Acts.store(p.key, w -> {
                sample(w, 0, s -> s.putU32(ActionAttr.OUTPUT, 1));
                sample(w, -1, s -> s.putU32(ActionAttr.OUTPUT, 2));
                w.putU32(ActionAttr.OUTPUT, 3);
            });
            ctx.outputs.clear();
            assertThat(ctx.run(p, acts)).isZero();
            assertThat(ports()).as("random %x", random).containsExactly(2, 3);
        }
    }

    @Test
    void sampleRunsWhenTheRandomNumberIsAtMostTheProbabilityUnsigned() {
        for (int[] c : new int[][] {{0x7fffffff, 1}, {0x80000000, 1}, {0x80000001, 0}, {-1, 0}}) {
            ctx.random = () -> c[0];
            Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 0));
            byte[] acts = Acts.store(p.key, w -> sample(w, 0x80000000, s -> s.putU32(ActionAttr.OUTPUT, 1)));
            ctx.outputs.clear();
            ctx.run(p, acts);
            assertThat(ctx.outputs).as("random %x", c[0]).hasSize(c[1]);
        }
    }

    @Test
    void sampledChangesDoNotLeakIntoTheRestOfTheList() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 0);
        Packet p = Frames.packet(f);
        FlowKey k0 = new FlowKey(p.key);
        byte[] acts = Acts.store(p.key, w -> {
            sample(w, -1, s -> {
                Acts.setIpv4Dst(s, 0x01020304);
                s.putU32(ActionAttr.OUTPUT, 1);
            });
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        ctx.run(p, acts);
        assertThat(Wire.be32(ctx.outputs.get(0).frame(), NH + 16)).isEqualTo(0x01020304);
        assertThat(ctx.outputs.get(0).key().u32(FlowKey.IPV4_DST_OFFSET)).isEqualTo(0x01020304);
        assertThat(ctx.outputs.get(1).frame()).isEqualTo(f);
        assertThat(ctx.outputs.get(1).key()).isEqualTo(k0);
    }

    // ---- clone ----------------------------------------------------------------------------------

    @Test
    void cloneIsolatesFrameAndKeyChanges() {
        byte[] f = Frames.eth4(Frames.TCP, 1, 2, 3);
        Packet p = Frames.packet(f);
        FlowKey k0 = new FlowKey(p.key);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.CLONE, c -> {
                PushPopTest.pushVlan(c, 0x8100, 0x1005);
                Acts.set(c, KeyAttr.TCP, Acts.keyPorts(7, 8));
                c.putU32(ActionAttr.OUTPUT, 1);
            });
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs.get(0).frame()).hasSize(f.length + 4);
        assertThat(ctx.outputs.get(0).key().u16(FlowKey.TP_SRC_OFFSET)).isEqualTo(7);
        assertThat(ctx.outputs.get(1).frame()).isEqualTo(f);
        assertThat(ctx.outputs.get(1).key()).isEqualTo(k0);
        assertThat(ctx.outputs.get(1).packet()).isSameAs(p);
    }

    @Test
    void aLastCloneWorksOnThePacketItself() {
        Packet p = Frames.packet(Frames.eth4(Frames.TCP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> Acts.nest(w, ActionAttr.CLONE, c -> c.putU32(ActionAttr.OUTPUT, 1)));
        ctx.run(p, acts);
        assertThat(ctx.outputs.get(0).packet()).isSameAs(p);
    }

    @Test
    void clonesDeeperThanTheThresholdAreDeferredUntilTheListEnds() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 0));
        assertThat(ctx.run(p, storeClones(p.key))).isZero();
        assertThat(ports()).containsExactly(12, 13, 14, 2, 1);
        assertThat(Wire.be32(ctx.outputs.get(4).frame(), NH + 16)).isEqualTo(0x0a0a0a0a);
        assertThat(Wire.be32(ctx.outputs.get(3).frame(), NH + 16)).isEqualTo(Frames.IP_B);
    }

    /** clone{clone{clone{clone{set, output 1}, output 12}, output 13}, output 14}, output 2. */
    static byte[] storeClones(FlowKey key) {
        return Acts.store(key, w -> {
            Acts.nest(w, ActionAttr.CLONE, c1 -> {
                Acts.nest(c1, ActionAttr.CLONE, c2 -> {
                    Acts.nest(c2, ActionAttr.CLONE, c3 -> {
                        Acts.nest(c3, ActionAttr.CLONE, c4 -> {
                            Acts.setIpv4Dst(c4, 0x0a0a0a0a);
                            c4.putU32(ActionAttr.OUTPUT, 1);
                        });
                        c3.putU32(ActionAttr.OUTPUT, 12);
                    });
                    c2.putU32(ActionAttr.OUTPUT, 13);
                });
                c1.putU32(ActionAttr.OUTPUT, 14);
            });
            w.putU32(ActionAttr.OUTPUT, 2);
        });
    }

    // ---- check_pkt_len --------------------------------------------------------------------------

    @Test
    void checkPktLenPicksTheBranchByLength() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 50);
        for (int[] c : new int[][] {{f.length, 1}, {f.length + 1, 1}, {f.length - 1, 2}}) {
            Packet p = Frames.packet(f);
            byte[] acts = Acts.store(p.key, w -> {
                checkPktLen(w, c[0], le -> le.putU32(ActionAttr.OUTPUT, 1), gt -> gt.putU32(ActionAttr.OUTPUT, 2));
                w.putU32(ActionAttr.OUTPUT, 3);
            });
            ctx.outputs.clear();
            ctx.run(p, acts);
            assertThat(ports()).as("pkt_len %d", c[0]).containsExactly(c[1], 3);
        }
    }

    @Test
    void checkPktLenOfAReassembledPacketUsesMruPlusTheL2Header() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 50));
        p.mru = 100;
        byte[] acts = Acts.store(p.key, w -> checkPktLen(w, 113,
                le -> le.putU32(ActionAttr.OUTPUT, 1), gt -> gt.putU32(ActionAttr.OUTPUT, 2)));
        ctx.run(p, acts);
        assertThat(ports()).containsExactly(2);
    }

    // ---- dec_ttl --------------------------------------------------------------------------------

    @Test
    void decTtlDecrementsAndFixesTheChecksum() {
        Packet p = Frames.packet(Frames.eth4(Frames.TCP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> {
            decTtl(w, x -> x.putU32(ActionAttr.OUTPUT, 9));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        byte[] g = ctx.onlyOutputFrame();
        assertThat(g[NH + 8]).isEqualTo((byte) 63);
        assertThat(Wire.be16(g, NH + 10)).isEqualTo(Frames.ipv4HeaderChecksum(g, NH));
        assertThat(ctx.outputs.get(0).key().u8(FlowKey.IP_TTL_OFFSET)).isEqualTo(63);
    }

    @Test
    void decTtlAtOneRunsItsListInsteadOfTheRest() {
        byte[] f = Frames.eth6(Frames.UDP, 1, 2, 3);
        f[NH + 7] = 1;
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            decTtl(w, x -> x.putU32(ActionAttr.OUTPUT, 9));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ports()).containsExactly(9);
        assertThat(ctx.outputs.get(0).frame()).isEqualTo(f);
    }

    @Test
    void decTtlAtOneWithAnEmptyListDropsThePacket() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 3);
        f[NH + 8] = 1;
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            decTtl(w, x -> { });
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs).isEmpty();
    }

    // ---- recirc ---------------------------------------------------------------------------------

    @Test
    void recircHandsTheDatapathTheKeyWithTheNewRecircId() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.RECIRC, 0x42);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        FlowKey expected = new FlowKey(p.key).u32(FlowKey.RECIRC_ID_OFFSET, 0x42);
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.recircs).hasSize(1);
        RecordingContext.Recirc r = ctx.recircs.get(0);
        assertThat(r.recircId()).isEqualTo(0x42);
        assertThat(r.key()).isEqualTo(expected);
        assertThat(r.level()).isEqualTo(1);
        assertThat(r.packet()).as("not last: a copy").isNotSameAs(p);
        assertThat(p.key.u32(FlowKey.RECIRC_ID_OFFSET)).as("the caller's key is untouched").isZero();
        assertThat(ports()).containsExactly(1);
    }

    @Test
    void recircAfterAnInvalidatingActionReExtractsTheKeyFirst() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> {
            PushPopTest.pushMpls(w, 0x00001140, 0x8847);
            w.putU32(ActionAttr.RECIRC, 7);
        });
        ctx.run(p, acts);
        assertThat(ctx.keyUpdates).isEqualTo(1);
        FlowKey k = ctx.recircs.get(0).key();
        assertThat(ActionExecutor.isKeyValid(k)).isTrue();
        assertThat(k.ethType()).isEqualTo(0x8847);
        assertThat(k.u32(FlowKey.MPLS_LSE_OFFSET)).isEqualTo(0x00001140);
        assertThat(ctx.recircs.get(0).packet()).as("last: the packet itself").isSameAs(p);
    }

    @Test
    void aRecirculationLoopIsCutByTheDeferredActionLimit() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> w.putU32(ActionAttr.RECIRC, 1));
        ctx.onRecirc = (c, q, k, id) -> c.executor.execute(q, k, acts, 0, acts.length, c);
        assertThat(ctx.run(p, acts)).isZero();
        // three levels inline, then each of the 9 FIFO slots replays three more
        assertThat(ctx.recircs).hasSize(3 + 9 * 3);
        assertThat(ctx.recircs.stream().mapToInt(RecordingContext.Recirc::level).max().getAsInt()).isEqualTo(3);
        assertThat(ctx.logs).containsExactly("openvswitch: dp0: deferred action limit reached, drop recirc action");
        assertThat(ctx.executor.level()).isZero();
    }

    @Test
    void nestingExecutionsPastTheRecursionLimitFailsWithEnetdown() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> w.putU32(ActionAttr.OUTPUT, 1));
        int[] inner = new int[1];
        ctx.onOutput = (c, q, port, k) -> inner[0] = c.executor.execute(q, q.key, acts, 0, acts.length, c);
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs).hasSize(ActionExecutor.RECURSION_LIMIT);
        assertThat(ctx.logs).containsExactly(
                "openvswitch: ovs: recursion limit reached on datapath dp0, probable configuration error");
        assertThat(inner[0]).isZero();
    }

    // ---- hash, meter ----------------------------------------------------------------------------

    @Test
    void hashMixesThePacketHashWithTheBasisLikeJhash1word() {
        assertThat(PacketHash.jhash1Word(0x12345678, 0x9abcdef0)).isEqualTo(0x7509aa6d);
        assertThat(PacketHash.jhash1Word(0, 0)).isEqualTo(0x049396b8);

        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        p.hash = 0x12345678;
        p.l4Hash = true;
        byte[] acts = Acts.store(p.key, w -> {
            w.putU64(ActionAttr.HASH, (long) 0x9abcdef0 << 32); // alg 0 = L4, basis
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ctx.outputs.get(0).key().u32(FlowKey.DP_HASH_OFFSET)).isEqualTo(0x7509aa6d);
    }

    @Test
    void aComputedPacketHashIsStableAndSymmetric() {
        Packet a = Frames.packet(Frames.eth4(Frames.TCP, 1000, 80, 3));
        Packet b = Frames.packet(Frames.eth4(Frames.TCP, 1000, 80, 9));
        byte[] rev = Frames.eth4(Frames.TCP, 80, 1000, 3);
        Wire.putBe32(rev, NH + 12, Frames.IP_B);
        Wire.putBe32(rev, NH + 16, Frames.IP_A);
        Packet c = Frames.packet(rev);
        Packet other = Frames.packet(Frames.eth4(Frames.TCP, 1001, 80, 3));
        FlowKey scratch = new FlowKey();
        int ha = PacketHash.skbGetHash(a, a.key, scratch);
        assertThat(a.swHash).isTrue();
        assertThat(a.l4Hash).isTrue();
        assertThat(PacketHash.skbGetHash(b, new FlowKey(b.key), scratch)).as("a working key other than p.key")
                .isEqualTo(ha);
        assertThat(PacketHash.skbGetHash(c, c.key, scratch)).isEqualTo(ha);
        assertThat(PacketHash.skbGetHash(other, other.key, scratch)).isNotEqualTo(ha);
        assertThat(ha).isNotZero();
        assertThat(ovsj.datapath.flow.KeyExtractor.hash(Frames.packet(Frames.eth4(Frames.TCP, 1000, 80, 3))))
                .as("the datapath's own hash").isEqualTo(ha);
    }

    @Test
    void withAnInvalidKeyTheHashIsReadFromTheFrameAndStillSymmetric() {
        byte[] rev = Frames.eth4(Frames.TCP, 80, 1000, 3);
        Wire.putBe32(rev, NH + 12, Frames.IP_B);
        Wire.putBe32(rev, NH + 16, Frames.IP_A);
        int[] hashes = new int[2];
        int i = 0;
        for (byte[] f : new byte[][] {Frames.eth4(Frames.TCP, 1000, 80, 3), rev}) {
            Packet p = Frames.packet(f);
            byte[] acts = Acts.store(p.key, w -> {
                PushPopTest.pushVlan(w, 0x8100, 0x1001);
                PushPopTest.pushVlan(w, 0x8100, 0x1002);
                w.putU64(ActionAttr.HASH, 0);
                w.putU32(ActionAttr.OUTPUT, 1);
            });
            ctx.outputs.clear();
            ctx.run(p, acts);
            assertThat(ActionExecutor.isKeyValid(ctx.outputs.get(0).key())).isFalse();
            assertThat(p.swHash).isTrue();
            hashes[i++] = ctx.outputs.get(0).key().u32(FlowKey.DP_HASH_OFFSET);
        }
        assertThat(hashes[0]).isEqualTo(hashes[1]).isNotZero();
    }

    @Test
    void aMeterThatDropsEndsTheListAndOneThatPassesDoesNot() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> {
            w.putU32(ActionAttr.METER, 5);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ports()).containsExactly(1);
        ctx.meterDrops = true;
        ctx.outputs.clear();
        assertThat(ctx.run(Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3)), acts)).isZero();
        assertThat(ctx.outputs).isEmpty();
        assertThat(ctx.meters).containsExactly(5, 5);
    }

    // ---- ct, ct_clear ---------------------------------------------------------------------------

    @Test
    void ctMarksThePacketTrackedAndInvalidInTheActionsZoneAndTrimsPadding() {
        byte[] f = Frames.eth4(Frames.UDP, 1, 2, 3);
        byte[] padded = Arrays.copyOf(f, 60);
        Packet p = Frames.packet(padded);
        p.key.u32(FlowKey.CT_MARK_OFFSET, 99);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.CT, c -> {
                c.putFlag(CtAttr.COMMIT);
                c.putU16(CtAttr.ZONE, 7);
            });
            w.putU32(ActionAttr.OUTPUT, 1);
            w.putFlag(ActionAttr.CT_CLEAR);
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isZero();
        FlowKey k = ctx.outputs.get(0).key();
        assertThat(k.u8(FlowKey.CT_STATE_OFFSET)).isEqualTo(CtState.TRACKED | CtState.INVALID);
        assertThat(k.u16(FlowKey.CT_ZONE_OFFSET)).isEqualTo(7);
        assertThat(k.u32(FlowKey.CT_MARK_OFFSET)).isZero();
        assertThat(ctx.outputs.get(0).frame()).isEqualTo(f);
        FlowKey cleared = ctx.outputs.get(1).key();
        assertThat(cleared.u8(FlowKey.CT_STATE_OFFSET)).isZero();
        assertThat(cleared.u16(FlowKey.CT_ZONE_OFFSET)).isZero();
    }

    @Test
    void ctReExtractsAnInvalidKeyFirst() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> {
            PushPopTest.pushVlan(w, 0x8100, 0x1001);
            PushPopTest.pushVlan(w, 0x88a8, 0x1002);
            Acts.nest(w, ActionAttr.CT, c -> c.putU16(CtAttr.ZONE, 1));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(ctx.keyUpdates).isEqualTo(1);
        assertThat(ActionExecutor.isKeyValid(ctx.outputs.get(0).key())).isTrue();
    }

    @Test
    void anActionErrorInsideANonLastCloneDropsTheOriginalToo() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 3));
        byte[] acts = Acts.store(p.key, w -> {
            Acts.nest(w, ActionAttr.CLONE, c -> {
                byte[] v = new byte[4];
                Acts.set(c, KeyAttr.CT_MARK, v);
                c.putU32(ActionAttr.OUTPUT, 1);
            });
            w.putU32(ActionAttr.OUTPUT, 2);
        });
        assertThat(ctx.run(p, acts)).isEqualTo(-Errno.EINVAL);
        assertThat(ctx.outputs).isEmpty();
    }
}
