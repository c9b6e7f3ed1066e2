package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.flow.Frames.MACS;
import static ovsj.datapath.flow.Frames.bytes;
import static ovsj.datapath.flow.Frames.eth;
import static ovsj.datapath.flow.Frames.ext;
import static ovsj.datapath.flow.Frames.frag;
import static ovsj.datapath.flow.Frames.h16;
import static ovsj.datapath.flow.Frames.ipv4;
import static ovsj.datapath.flow.Frames.ipv6;
import static ovsj.datapath.flow.Frames.llOpt;
import static ovsj.datapath.flow.Frames.nd;
import static ovsj.datapath.flow.Frames.tag;
import static ovsj.datapath.flow.Frames.tcp;
import static ovsj.datapath.flow.Frames.udp;
import static ovsj.datapath.flow.Frames.zeros;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;

/**
 * Seeded fuzzing: random bytes, random truncations and random byte flips of valid frames never
 * throw, never read outside the frame (the frame sits in a buffer of random bytes, and the same
 * frame copied into an exact-size buffer must give the same key) and keep the invariants.
 */
class KeyExtractorFuzzTest {
    private static final List<byte[]> SEEDS = List.of(
            bytes(eth(0x0800, ipv4(6, tcp(1, 2, 0x12)))),
            bytes(eth(0x0800, ipv4(0x46, 0x2000, 17, "94040000", udp(3, 4)))),
            bytes(eth(0x0800, ipv4(1, "08000000" + "00010001"))),
            bytes(eth(0x0800, ipv4(132, udp(1, 2) + zeros(4)))),
            bytes(eth(0x86dd, ipv6(0x12345, 6, tcp(1, 2, 0x02)))),
            bytes(eth(0x86dd, ipv6(0, ext(60, 0) + ext(43, 1) + frag(51, 1) + "11040000" + zeros(20) + udp(5, 6)))),
            bytes(eth(0x86dd, ipv6(58, nd(135, 0, llOpt(1, 0x0102030405L) + llOpt(2, 0x0a0b0c0d0e0fL))))),
            bytes(MACS + tag(0x88a8, 1) + tag(0x8100, 2) + h16(0x0800) + ipv4(17, udp(1, 2))),
            bytes(MACS + tag(0x8100, 1) + h16(0x0806) + "0001080006040001" + zeros(20)),
            bytes(eth(0x8847, "00064040" + "000c8140" + ipv4(17, udp(1, 2)))),
            bytes(MACS + h16(0x0030) + "aaaa03000000" + h16(0x0800) + ipv4(17, udp(7, 9))),
            bytes(eth(0x894f, "0fc60101" + "00010fff" + zeros(16) + ipv4(17, udp(1, 2)))),
            bytes(eth(0x0800, ipv4(47, "2000" + h16(0x6558) + "0000abcd" + eth(0x86dd, ipv6(17, udp(1, 2)))))),
            bytes(eth(0x8864, "11000001001c" + "0021" + ipv4(17, udp(1, 2)))));

    private static final Packet EXACT = new Packet();

    private static void run(Packet p, byte[] buf, int at, int len, SplittableRandom rnd) {
        p.wrap(buf, at, len, 1 + rnd.nextInt(65534));
        int rc = KeyExtractor.extract(p);
        Invariants.check(p, rc);
        KeyExtractor.hash(p);
        // the same frame with nothing around it: same key, same offsets, same hash
        EXACT.wrap(Arrays.copyOfRange(buf, at, at + len), 0, len, p.inPort);
        assertThat(KeyExtractor.extract(EXACT)).isEqualTo(rc);
        assertThat(EXACT.key).isEqualTo(p.key);
        assertThat(EXACT.transportOff - EXACT.off).isEqualTo(p.transportOff < 0 ? -1 - EXACT.off : p.transportOff - p.off);
        KeyExtractor.hash(EXACT);
        assertThat(EXACT.hash).isEqualTo(p.hash);
        assertThat(EXACT.l4Hash).isEqualTo(p.l4Hash);
    }

    @Test
    void randomBytes() {
        SplittableRandom rnd = new SplittableRandom(20240601);
        Packet p = new Packet();
        byte[] buf = new byte[400];
        for (int i = 0; i < 20000; i++) {
            rnd.nextBytes(buf);
            int len = rnd.nextInt(200);
            // bias towards interesting ethertypes
            if (len >= 14 && rnd.nextBoolean()) {
                int[] types = {0x0800, 0x86dd, 0x8100, 0x88a8, 0x0806, 0x8035, 0x8847, 0x8848, 0x894f, 0x0030};
                int t = types[rnd.nextInt(types.length)];
                buf[112] = (byte) (t >>> 8);
                buf[113] = (byte) t;
            }
            run(p, buf, 100, len, rnd);
        }
    }

    @Test
    void truncationsAndFlipsOfValidFrames() {
        SplittableRandom rnd = new SplittableRandom(42);
        Packet p = new Packet();
        for (byte[] seed : SEEDS) {
            for (int len = 0; len <= seed.length; len++) {
                byte[] buf = new byte[seed.length + 32];
                rnd.nextBytes(buf);
                System.arraycopy(seed, 0, buf, 16, len);
                run(p, buf, 16, len, rnd);
            }
            for (int i = 0; i < 3000; i++) {
                byte[] f = seed.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int j = 0; j < flips; j++) {
                    f[14 + rnd.nextInt(f.length - 14)] = (byte) rnd.nextInt(256);
                }
                int len = rnd.nextInt(4) == 0 ? rnd.nextInt(f.length + 1) : f.length;
                byte[] buf = new byte[f.length + 8];
                rnd.nextBytes(buf);
                System.arraycopy(f, 0, buf, 8, f.length);
                run(p, buf, 8, len, rnd);
            }
        }
    }
}
