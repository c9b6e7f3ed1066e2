package ovsj.bench.flow;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import ovsj.datapath.Packet;
import ovsj.datapath.flow.KeyExtractor;

/**
 * Flow key extraction per packet ({@link KeyExtractor#extract}), alone and with the packet hash
 * ({@link KeyExtractor#hash}, as {@code ovs_dp_process_packet} needs it), over {@value #PACKETS}
 * prepared packets: a mix of IPv4/IPv6 × TCP/UDP frames with varied addresses and ports
 * ({@code mix=v4v6}), or one kind only. Scores are per packet; {@code -prof gc} should show 0 B/op.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar KeyExtractBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class KeyExtractBenchmark {
    static final int PACKETS = 1024;

    /** {@code v4v6} (IPv4/IPv6 TCP/UDP, a quarter each, one in eight VLAN-tagged), {@code v4tcp}, {@code v6udp}. */
    @Param({"v4v6", "v4tcp", "v6udp"})
    public String mix;

    private Packet[] packets;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        packets = new Packet[PACKETS];
        for (int i = 0; i < PACKETS; i++) {
            int kind = switch (mix) {
                case "v4tcp" -> 0;
                case "v6udp" -> 3;
                default -> rnd.nextInt(4);
            };
            boolean vlan = mix.equals("v4v6") && rnd.nextInt(8) == 0;
            byte[] f = frame(kind, vlan, rnd);
            packets[i] = new Packet().wrap(f, 0, f.length, 1 + (i & 3));
        }
    }

    /** kind: 0 IPv4 TCP, 1 IPv4 UDP, 2 IPv6 TCP, 3 IPv6 UDP. */
    static byte[] frame(int kind, boolean vlan, SplittableRandom rnd) {
        boolean v6 = kind >= 2;
        boolean tcp = (kind & 1) == 0;
        int l4 = tcp ? 20 : 8;
        int l3 = v6 ? 40 : 20;
        int payload = 18 + rnd.nextInt(64);
        int l2 = vlan ? 18 : 14;
        byte[] f = new byte[l2 + l3 + l4 + payload];
        for (int i = 0; i < 12; i++) {
            f[i] = (byte) rnd.nextInt(256);
        }
        f[0] &= (byte) 0xfe;
        int p = 12;
        if (vlan) {
            f[p++] = (byte) 0x81;
            f[p++] = 0;
            f[p++] = 0;
            f[p++] = (byte) (1 + rnd.nextInt(200));
        }
        f[p++] = (byte) (v6 ? 0x86 : 0x08);
        f[p++] = (byte) (v6 ? 0xdd : 0x00);
        int nh = p;
        int proto = tcp ? 6 : 17;
        if (v6) {
            f[nh] = 0x60;
            f[nh + 4] = (byte) ((l4 + payload) >>> 8);
            f[nh + 5] = (byte) (l4 + payload);
            f[nh + 6] = (byte) proto;
            f[nh + 7] = 64;
            f[nh + 8] = 0x20;
            f[nh + 9] = 0x01;
            f[nh + 24] = 0x20;
            f[nh + 25] = 0x01;
            for (int i = 0; i < 4; i++) {
                f[nh + 20 + i] = (byte) rnd.nextInt(256);
                f[nh + 36 + i] = (byte) rnd.nextInt(256);
            }
        } else {
            int tot = l3 + l4 + payload;
            f[nh] = 0x45;
            f[nh + 2] = (byte) (tot >>> 8);
            f[nh + 3] = (byte) tot;
            f[nh + 6] = 0x40;
            f[nh + 8] = 64;
            f[nh + 9] = (byte) proto;
            f[nh + 12] = 10;
            f[nh + 16] = 10;
            for (int i = 1; i < 4; i++) {
                f[nh + 12 + i] = (byte) rnd.nextInt(256);
                f[nh + 16 + i] = (byte) rnd.nextInt(256);
            }
        }
        int th = nh + l3;
        int sport = 1024 + rnd.nextInt(60000);
        int dport = rnd.nextInt(4) == 0 ? 443 : 1 + rnd.nextInt(65535);
        f[th] = (byte) (sport >>> 8);
        f[th + 1] = (byte) sport;
        f[th + 2] = (byte) (dport >>> 8);
        f[th + 3] = (byte) dport;
        if (tcp) {
            f[th + 12] = 0x50;
            f[th + 13] = (byte) (rnd.nextBoolean() ? 0x10 : 0x18);
        } else {
            f[th + 4] = (byte) ((l4 + payload) >>> 8);
            f[th + 5] = (byte) (l4 + payload);
        }
        return f;
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int extract() {
        int acc = 0;
        for (Packet p : packets) {
            acc += KeyExtractor.extract(p) + p.transportOff;
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int extractAndHash() {
        int acc = 0;
        for (Packet p : packets) {
            KeyExtractor.extract(p);
            p.swHash = false;
            p.l4Hash = false;
            acc += KeyExtractor.hash(p);
        }
        return acc;
    }
}
