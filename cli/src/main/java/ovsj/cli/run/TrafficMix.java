package ovsj.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The built-in traffic of {@code ovsj run}: two classic pcap files, one for the port the sources live
 * on and one for the port of the destinations, so that a learning switch forwards unicast between them.
 *
 * <p><b>Hosts.</b> {@code K} flows run between {@code S = ceil(sqrt(K))} sources and
 * {@code D = ceil(K / S)} destinations (addresses in {@link Frames}); flow {@code i} goes from source
 * {@code i % S} to destination {@code i / S}, so every flow is a distinct (source MAC, destination MAC)
 * pair and the {@code normal} pipeline, which matches both MACs exactly and wildcards L3/L4, makes one
 * megaflow per flow. Even flows are UDP to port 53, odd flows TCP to port 443, from port
 * {@code 1024 + i % 60000}.
 *
 * <p><b>Sources' file</b>, one pass:
 * <ol>
 * <li>MAC learning: each source announces itself once (a gratuitous ARP, {@code S} frames);
 * <li>the flows: {@code rounds * K} frames, each flow once (so every flow is offered, and installed,
 * every pass) plus {@code (rounds - 1) * K} frames whose flow is drawn from a Zipf distribution over the
 * flows (exponent {@value #ZIPF_EXPONENT}, flow {@code i} the rank {@code i}; {@link Zipf}), the whole
 * shuffled with a {@link SplittableRandom} seeded with {@link #SEED}: the same {@code K} and
 * {@code rounds} always give the same file. A TCP flow's first frame of the pass is a SYN, its others
 * PSH|ACK.
 * </ol>
 * With {@code K = 10000} and two rounds, flow 0 carries about 5% of the flow frames, the median flow
 * two frames per pass, and {@code S + D + K} megaflows cover everything.
 *
 * <p><b>Destinations' file</b>: each destination announces itself once ({@code D} frames). Replayed in
 * a loop at {@link #destinationRate}, the destinations are learned within a second of the start and
 * stay learned (their announcement refreshes the MAC table every pass).
 *
 * <p>Sizes: 76 bytes a frame on disk; 10000 flows are 1.5 MB, a million 152 MB (two rounds).
 */
public final class TrafficMix {
    /** The Zipf exponent of the flows' popularity. */
    public static final double ZIPF_EXPONENT = 1.0;
    /** The seed of the Zipf draws and the shuffle. */
    public static final long SEED = 0x6f76_736aL;
    /** Most flows: the MAC table ({@code mac-table-size} 8192) must hold {@code S + D} hosts. */
    public static final int MAX_FLOWS = 10_000_000;
    /** Resolution of {@link #offered}: checkpoints over a pass. */
    static final int CHECKPOINTS = 1000;
    static final int UDP_PORT = 53;
    static final int TCP_PORT = 443;

    private final int flows;
    private final int rounds;
    private final int sources;
    private final int destinations;
    /** {@code offeredAt[c]}: distinct flows among the first {@code floor(c * N / CHECKPOINTS)} flow frames. */
    private final int[] offeredAt;
    private final long largestFlowFrames;

    private TrafficMix(int flows, int rounds, int[] offeredAt, long largestFlowFrames) {
        this.flows = flows;
        this.rounds = rounds;
        this.sources = sources(flows);
        this.destinations = destinations(flows);
        this.offeredAt = offeredAt;
        this.largestFlowFrames = largestFlowFrames;
    }

    /** {@code S} for {@code K} flows. */
    public static int sources(int flows) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(flows)));
    }

    /** {@code D} for {@code K} flows. */
    public static int destinations(int flows) {
        int s = sources(flows);
        return Math.max(1, (flows + s - 1) / s);
    }

    /**
     * Writes both files for {@code flows} flows and {@code rounds} frames per flow and pass on average
     * (at least 1).
     */
    public static TrafficMix write(Path sourcesFile, Path destinationsFile, int flows, int rounds)
            throws IOException {
        if (flows < 1 || flows > MAX_FLOWS || rounds < 1 || (long) flows * rounds > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("flows " + flows + ", rounds " + rounds);
        }
        int s = sources(flows);
        int d = destinations(flows);
        byte[] f = new byte[Frames.LENGTH];
        try (PcapOut out = new PcapOut(destinationsFile)) {
            for (int j = 0; j < d; j++) {
                Frames.announce(f, 0, Frames.destinationMac(j), Frames.destinationIp(j));
                out.write(f, 0, f.length);
            }
        }

        int[] order = order(flows, rounds);
        int n = order.length;
        int[] offeredAt = new int[CHECKPOINTS + 1];
        int[] perFlow = new int[flows];
        BitSet seen = new BitSet(flows);
        int distinct = 0;
        int c = 1;
        try (PcapOut out = new PcapOut(sourcesFile)) {
            for (int i = 0; i < s; i++) {
                Frames.announce(f, 0, Frames.sourceMac(i), Frames.sourceIp(i));
                out.write(f, 0, f.length);
            }
            for (int k = 0; k < n; k++) {
                int flow = order[k];
                boolean first = !seen.get(flow);
                if (first) {
                    seen.set(flow);
                    distinct++;
                }
                perFlow[flow]++;
                flowFrame(f, flow, s, first);
                out.write(f, 0, f.length);
                while (c <= CHECKPOINTS && (long) c * n / CHECKPOINTS <= k + 1) {
                    offeredAt[c++] = distinct;
                }
            }
        }
        long largest = 0;
        for (int p : perFlow) {
            largest = Math.max(largest, p);
        }
        return new TrafficMix(flows, rounds, offeredAt, largest);
    }

    /** The flows of one pass, in order: each once, then the Zipf draws, shuffled. */
    static int[] order(int flows, int rounds) {
        int n = flows * rounds;
        int[] order = new int[n];
        for (int i = 0; i < flows; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        if (n > flows) {
            Zipf z = new Zipf(flows, ZIPF_EXPONENT);
            for (int k = flows; k < n; k++) {
                order[k] = z.sample(rnd);
            }
        }
        for (int k = n - 1; k > 0; k--) {
            int r = rnd.nextInt(k + 1);
            int t = order[k];
            order[k] = order[r];
            order[r] = t;
        }
        return order;
    }

    /** The frame of flow {@code i} ({@code s} sources). */
    static void flowFrame(byte[] f, int i, int s, boolean first) {
        int src = i % s;
        int dst = i / s;
        int sport = 1024 + i % 60000;
        long sm = Frames.sourceMac(src);
        long dm = Frames.destinationMac(dst);
        int si = Frames.sourceIp(src);
        int di = Frames.destinationIp(dst);
        if ((i & 1) == 0) {
            Frames.udp(f, 0, sm, dm, si, di, sport, UDP_PORT);
        } else {
            Frames.tcp(f, 0, sm, dm, si, di, sport, TCP_PORT, first ? Frames.TCP_SYN : Frames.TCP_PSH_ACK);
        }
    }

    public int flows() {
        return flows;
    }

    public int rounds() {
        return rounds;
    }

    public int sources() {
        return sources;
    }

    public int destinations() {
        return destinations;
    }

    /** Frames in one pass of the sources' file. */
    public long sourceFrames() {
        return sources + (long) flows * rounds;
    }

    /** Frames in one pass of the destinations' file. */
    public long destinationFrames() {
        return destinations;
    }

    /** The most frames one flow has in a pass (flow 0's, the most popular). */
    public long largestFlowFrames() {
        return largestFlowFrames;
    }

    /** Megaflows the normal pipeline makes for it all: one per flow and one per announcing host. */
    public long megaflows() {
        return (long) flows + sources + destinations;
    }

    /**
     * How many distinct flows the first {@code replayed} frames of the sources' file offered (a lower
     * bound, exact to {@code 1/}{@value #CHECKPOINTS} of a pass; {@link #flows} once a pass is done).
     */
    public long offered(long replayed) {
        long n = (long) flows * rounds;
        long k = replayed - sources;
        if (k <= 0) {
            return 0;
        }
        if (k >= n) {
            return flows;
        }
        return offeredAt[(int) (k * CHECKPOINTS / n)];
    }

    /**
     * The replay rate of the destinations' file when the sources' runs at {@code sourceRate} (0: as fast
     * as the datapath takes them): one pass per pass of the sources, and at least one a second (so the
     * destinations are learned within a second of the start) unless that would be more than a tenth of
     * the sources' rate; at least 1.
     */
    public int destinationRate(int sourceRate) {
        if (sourceRate == 0) {
            return destinations;
        }
        long rate = Integer.toUnsignedLong(sourceRate);
        long perPass = rate * destinations / sourceFrames();
        return (int) Math.max(1, Math.max(perPass, Math.min(destinations, rate / 10)));
    }
}
