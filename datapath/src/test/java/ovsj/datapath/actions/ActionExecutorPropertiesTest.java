package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CheckPktLenAttr;
import ovsj.odp.uapi.CtAttr;
import ovsj.odp.uapi.DecTtlAttr;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.NshKeyAttr;
import ovsj.odp.uapi.SampleAttr;
import ovsj.odp.uapi.TunnelKeyAttr;
import ovsj.odp.uapi.UserspaceAttr;

/**
 * Seeded random action lists (validated by {@code ActionCodec.copyActions}) on seeded random frames: the
 * executor never throws, answers 0 or -errno, leaves no level behind, and whenever an output's key is
 * still valid (and nothing truncated the frame) that key is what extraction of the output frame gives and
 * every checksum in it is right.
 */
class ActionExecutorPropertiesTest {
    /** A random frame and what the checks may assume about it. */
    record Case(Packet packet, boolean ethernet, boolean wellFormed) {
    }

    static Case randomFrame(SplittableRandom r) {
        int proto4 = new int[] {Frames.TCP, Frames.UDP, Frames.SCTP, Frames.ICMP}[r.nextInt(4)];
        int proto6 = new int[] {Frames.TCP, Frames.UDP, Frames.SCTP, Frames.ICMPV6}[r.nextInt(4)];
        int n = r.nextInt(60);
        byte[] f;
        switch (r.nextInt(13)) {
            case 0, 1 -> f = Frames.eth4(proto4, r.nextInt(65536), r.nextInt(65536), n);
            case 2, 3 -> f = Frames.eth6(proto6, r.nextInt(65536), r.nextInt(65536), n);
            case 4 -> f = PushPopTest.tagged(Frames.eth4(proto4, 1, 2, n), 0x8100, r.nextInt(0x10000) & ~0x1000);
            case 5 -> f = PushPopTest.tagged(PushPopTest.tagged(Frames.eth6(proto6, 1, 2, n), 0x8100, 5), 0x88a8, 6);
            case 6 -> {
                byte[] e = Frames.eth4(proto4, 3, 4, n);
                byte[] ip = Arrays.copyOfRange(e, 14, e.length);
                f = Frames.cat(Frames.ethHeader(0x8847), Wire.unhex("00001040"),
                        r.nextBoolean() ? Wire.unhex("00002140") : Wire.unhex("00002040000031ff"), ip);
            }
            case 7 -> f = Frames.cat(Frames.ethHeader(0x0806), Frames.payload(28));
            case 8 -> {
                byte[] e = Frames.eth4(proto4, 5, 6, n);
                return new Case(Frames.l3Packet(Arrays.copyOfRange(e, 14, e.length), 0x0800), false, true);
            }
            case 9 -> {
                byte[] e = Frames.eth6(proto6, 5, 6, n);
                return new Case(Frames.l3Packet(Arrays.copyOfRange(e, 14, e.length), 0x86dd), false, true);
            }
            case 10 -> {
                Packet p = PushPopTest.nshPacket(Frames.cat(Wire.unhex(PushPopTest.NSH_HDR), Frames.eth4(proto4, 1, 2, n)));
                return new Case(p, false, false);
            }
            case 11 -> {
                f = Frames.eth4(proto4, 1, 2, n);
                Wire.putBe16(f, 14 + 6, r.nextBoolean() ? 0x2000 : 0x0020); // first or later fragment
                Wire.putBe16(f, 14 + 10, Frames.ipv4HeaderChecksum(f, 14));
            }
            default -> {
                f = new byte[r.nextInt(80)];
                r.nextBytes(f);
                return new Case(Frames.packet(f), true, false);
            }
        }
        boolean wellFormed = true;
        if (r.nextInt(6) == 0) {
            f = Arrays.copyOf(f, r.nextInt(f.length + 1));
            wellFormed = false;
        } else if (r.nextInt(6) == 0) {
            f = Arrays.copyOf(f, f.length + 1 + r.nextInt(20)); // Ethernet padding
        }
        return new Case(Frames.packet(f), true, wellFormed && f.length >= 14);
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A random key attribute value for a set on {@code key}'s packet, {@code len} bytes for type. */
    static void randomSet(SplittableRandom r, NlWriter w, FlowKey key) {
        boolean masked = r.nextBoolean();
        int type = new int[] {KeyAttr.ETHERNET, KeyAttr.IPV4, KeyAttr.IPV6, KeyAttr.TCP, KeyAttr.UDP, KeyAttr.SCTP,
            KeyAttr.MPLS, KeyAttr.PRIORITY, KeyAttr.SKB_MARK, KeyAttr.NSH, KeyAttr.TUNNEL}[r.nextInt(11)];
        byte[] v;
        switch (type) {
            case KeyAttr.ETHERNET -> v = bytes(r, 12);
            case KeyAttr.IPV4 -> v = Acts.keyIpv4(r.nextInt(), r.nextInt(), key.ipProto(), r.nextInt(256),
                    r.nextInt(256), key.ipFrag());
            case KeyAttr.IPV6 -> v = Acts.keyIpv6(bytes(r, 16), bytes(r, 16), r.nextInt(1 << 20), key.ipProto(),
                    r.nextInt(256), r.nextInt(256), key.ipFrag());
            case KeyAttr.TCP, KeyAttr.UDP, KeyAttr.SCTP -> v = Acts.keyPorts(r.nextInt(65536), r.nextInt(65536));
            case KeyAttr.NSH -> {
                Acts.nest(w, ActionAttr.SET, s -> Acts.nest(s, KeyAttr.NSH, k -> {
                    k.putBytes(NshKeyAttr.BASE, Frames.cat(bytes(r, 2), new byte[] {1, 3}, bytes(r, 4)));
                    if (r.nextBoolean()) {
                        k.putBytes(NshKeyAttr.MD1, bytes(r, 16));
                    }
                }));
                return;
            }
            case KeyAttr.TUNNEL -> {
                Acts.nest(w, ActionAttr.SET, s -> Acts.nest(s, KeyAttr.TUNNEL, t -> {
                    t.putBe64(TunnelKeyAttr.ID, r.nextLong());
                    t.putBe32(TunnelKeyAttr.IPV4_DST, r.nextInt());
                    t.putU8(TunnelKeyAttr.TTL, 1 + r.nextInt(255));
                }));
                return;
            }
            default -> v = bytes(r, 4);
        }
        if (!masked) {
            Acts.set(w, type, v);
            return;
        }
        byte[] m = bytes(r, v.length);
        if (type == KeyAttr.IPV4) {
            m[8] = 0;
            m[11] = 0;
        } else if (type == KeyAttr.IPV6) {
            Wire.putBe32(m, 32, Wire.be32(m, 32) & 0xfffff);
            m[36] = 0;
            m[39] = 0;
        }
        Acts.setMasked(w, type, v, m);
    }

    static void randomList(SplittableRandom r, NlWriter w, FlowKey key, int depth, boolean[] truncs) {
        int n = r.nextInt(depth == 0 ? 7 : 4);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(depth < 3 ? 26 : 22)) {
                case 0, 1 -> w.putU32(ActionAttr.OUTPUT, r.nextInt(8));
                case 2 -> Acts.nest(w, ActionAttr.USERSPACE, u -> {
                    u.putU32(UserspaceAttr.PID, 1 + r.nextInt(100));
                    if (r.nextBoolean()) {
                        u.putBytes(UserspaceAttr.USERDATA, bytes(r, r.nextInt(10)));
                    }
                    if (r.nextBoolean()) {
                        u.putFlag(UserspaceAttr.ACTIONS);
                    }
                });
                case 3 -> {
                    truncs[0] = true;
                    w.putU32(ActionAttr.TRUNC, 14 + r.nextInt(120));
                }
                case 4 -> w.putU64(ActionAttr.HASH, (long) r.nextInt() << 32);
                case 5 -> w.putU32(ActionAttr.RECIRC, r.nextInt(4));
                case 6 -> w.putU32(ActionAttr.METER, r.nextInt(4));
                case 7 -> Acts.nest(w, ActionAttr.CT, c -> {
                    if (r.nextBoolean()) {
                        c.putFlag(CtAttr.COMMIT);
                    }
                    c.putU16(CtAttr.ZONE, r.nextInt(10));
                });
                case 8 -> w.putFlag(ActionAttr.CT_CLEAR);
                case 9 -> PushPopTest.pushVlan(w, r.nextBoolean() ? 0x8100 : 0x88a8, 0x1000 | r.nextInt(0x10000));
                case 10 -> w.putFlag(ActionAttr.POP_VLAN);
                case 11 -> PushPopTest.pushMpls(w, r.nextInt(), r.nextBoolean() ? 0x8847 : 0x8848);
                case 12 -> w.putBe16(ActionAttr.POP_MPLS, new int[] {0x0800, 0x86dd, 0x8847, 0x6558}[r.nextInt(4)]);
                case 13 -> PushPopTest.addMpls(w, r.nextInt(), 0x8847, r.nextBoolean());
                case 14 -> w.putBytes(ActionAttr.PUSH_ETH, bytes(r, 12));
                case 15 -> w.putFlag(ActionAttr.POP_ETH);
                case 16 -> Acts.nest(w, ActionAttr.PUSH_NSH, a -> PushPopTest.nshKey(a, KeyAttr.NSH));
                case 17 -> w.putFlag(ActionAttr.POP_NSH);
                case 18, 19, 20, 21 -> randomSet(r, w, key);
                case 22 -> Acts.nest(w, ActionAttr.SAMPLE, s -> {
                    s.putU32(SampleAttr.PROBABILITY, r.nextBoolean() ? -1 : r.nextInt());
                    Acts.nest(s, SampleAttr.ACTIONS, a -> randomList(r, a, key, depth + 1, truncs));
                });
                case 23 -> Acts.nest(w, ActionAttr.CLONE, a -> randomList(r, a, key, depth + 1, truncs));
                case 24 -> Acts.nest(w, ActionAttr.CHECK_PKT_LEN, c -> {
                    c.putU16(CheckPktLenAttr.PKT_LEN, 1 + r.nextInt(150));
                    Acts.nest(c, CheckPktLenAttr.ACTIONS_IF_LESS_EQUAL, a -> randomList(r, a, key, depth + 1, truncs));
                    Acts.nest(c, CheckPktLenAttr.ACTIONS_IF_GREATER, a -> randomList(r, a, key, depth + 1, truncs));
                });
                default -> Acts.nest(w, ActionAttr.DEC_TTL,
                        d -> Acts.nest(d, DecTtlAttr.ACTION, a -> randomList(r, a, key, depth + 1, truncs)));
            }
        }
    }

    @Test
    void randomValidListsOnRandomFramesNeverThrowAndKeepValidKeysInStep() {
        SplittableRandom r = new SplittableRandom(0x5eed);
        int accepted = 0;
        int outputsChecked = 0;
        for (int i = 0; i < 50000; i++) {
            Case c = randomFrame(r);
            Packet p = c.packet();
            boolean[] truncs = {false};
            byte[] acts = Acts.actions(w -> randomList(r, w, p.key, 0, truncs));
            byte[] stored = Acts.tryStore(acts, p.key);
            if (stored == null) {
                continue;
            }
            accepted++;
            RecordingContext ctx = new RecordingContext();
            long seed = r.nextLong();
            SplittableRandom sr = new SplittableRandom(seed);
            ctx.random = sr::nextInt;
            ctx.meterDrops = r.nextInt(4) == 0;
            if (r.nextBoolean()) {
                ctx.onRecirc = (x, q, k, id) -> x.executor.execute(q, k, stored, 0, stored.length, x);
            }
            boolean wellFormed = c.wellFormed();
            if (r.nextInt(8) == 0) {
                p.len = r.nextInt(p.len + 1); // shorter than its key and header offsets say
                wellFormed = false;
            }
            byte[] before = p.frame();
            int err = ctx.run(p, stored);
            String what = "case " + i + ": frame " + Frames.hex(before) + " actions " + Frames.hex(acts);
            assertThat(err).as(what).isLessThanOrEqualTo(0);
            assertThat(ctx.executor.level()).as(what).isZero();
            if (!wellFormed || truncs[0]) {
                continue;
            }
            for (RecordingContext.Output o : ctx.outputs) {
                // NSH keys and later fragments may disagree with their frame in Linux too: set_nsh stores
                // unmasked flag/TTL values, and L4 sets write a later fragment's payload.
                if (ActionExecutor.isKeyValid(o.key()) && o.key().ethType() != 0x894f && o.key().ipFrag() != 2) {
                    checkOutput(o, what);
                    outputsChecked++;
                }
            }
        }
        assertThat(accepted).as("lists accepted by copyActions").isGreaterThan(15000);
        assertThat(outputsChecked).isGreaterThan(4000);
    }

    private static void checkOutput(RecordingContext.Output o, String what) {
        FlowKey key = o.key();
        boolean ethernet = ActionExecutor.macProto(key) == FlowKey.MAC_PROTO_ETHERNET;
        byte[] f = o.frame();
        Packet fresh = new Packet().wrap(f, 0, f.length, 1);
        Frames.extract(fresh, fresh.key, ethernet, key.ethType());
        int type = key.ethType();
        boolean mpls = VlanMplsEth.isMpls(type);
        for (int w = FlowKey.ETH_SRC_OFFSET / 8; w < FlowKey.WORDS; w++) {
            if (mpls && w >= FlowKey.MPLS_LSE_OFFSET / 8) {
                // set_mpls writes the top entry only: a new bottom-of-stack bit changes what extraction
                // would find below it, in Linux too
                assertThat(key.u32(FlowKey.MPLS_LSE_OFFSET)).as("%s: top LSE", what)
                        .isEqualTo(fresh.key.u32(FlowKey.MPLS_LSE_OFFSET));
                break;
            }
            assertThat(Long.toHexString(key.word(w))).as("%s: key word %d", what, w)
                    .isEqualTo(Long.toHexString(fresh.key.word(w)));
        }
        int nh = fresh.networkOff - fresh.off;
        int t = fresh.transportOff - fresh.off;
        if ((type != 0x0800 && type != 0x86dd) || key.ipFrag() != 0 || t < 0) {
            return;
        }
        if (type == 0x0800) {
            assertThat(Wire.be16(f, nh + 10)).as("%s: IPv4 checksum", what).isEqualTo(Frames.ipv4HeaderChecksum(f, nh));
        }
        int end = type == 0x0800 ? nh + Wire.be16(f, nh + 2) : nh + 40 + Wire.be16(f, nh + 4);
        int proto = key.ipProto();
        if (end > f.length) {
            return;
        }
        if (proto == Frames.SCTP) {
            if (end != f.length) {
                return; // Linux's CRC covers the Ethernet padding too
            }
            assertThat(Wire.u32(f, t + 8)).as("%s: SCTP CRC", what).isEqualTo(Frames.sctpCrc(f, t, end));
        } else if (proto == Frames.TCP || proto == Frames.UDP || proto == Frames.ICMPV6 || proto == Frames.ICMP) {
            assertThat(Wire.be16(f, t + Frames.checksumOffset(proto))).as("%s: L4 checksum", what)
                    .isEqualTo(Frames.l4Checksum(f, nh, t, end, proto, type == 0x86dd));
        }
    }
}
