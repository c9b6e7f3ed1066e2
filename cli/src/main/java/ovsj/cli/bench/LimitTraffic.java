package ovsj.cli.bench;

import java.io.IOException;
import java.nio.file.Path;

import ovsj.cli.run.Frames;
import ovsj.cli.run.PcapOut;

/**
 * The traffic of {@code ovsj bench limit}: {@code flows} distinct UDP/IPv4 flows, every one once a pass
 * (uniform: the experiment wants every offered flow to press on the limit alike, not {@code ovsj run}'s
 * Zipf mix), from sources to destinations that never answer, so the {@code normal} pipeline floods them.
 *
 * <p>Flow {@code i} goes from source host {@code i % S} to destination host {@code i / S}, with
 * {@code S = ceil(sqrt(flows))}: 10000 flows run between 100 source and 100 destination MACs, every flow
 * a distinct (source MAC, destination MAC) pair, so the pipeline (exact on both MACs, L3/L4 wildcarded)
 * makes one megaflow per flow. Hosts and frames are {@link Frames}'.
 */
public final class LimitTraffic {
    private LimitTraffic() {
    }

    /** Hosts per side for {@code flows} flows. */
    public static int sources(int flows) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(flows)));
    }

    /** Writes {@code rounds} passes over the flows to {@code file}; returns the number of frames. */
    public static long write(Path file, int flows, int rounds) throws IOException {
        if (flows < 1 || rounds < 1) {
            throw new IllegalArgumentException("flows " + flows + ", rounds " + rounds);
        }
        int s = sources(flows);
        byte[] frame = new byte[Frames.LENGTH];
        try (PcapOut out = new PcapOut(file)) {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < flows; i++) {
                    int src = i % s;
                    int dst = i / s;
                    Frames.udp(frame, 0, Frames.sourceMac(src), Frames.destinationMac(dst), Frames.sourceIp(src),
                            Frames.destinationIp(dst), 1024 + i % 60000, 53);
                    out.write(frame, 0, frame.length);
                }
            }
            return out.records();
        }
    }
}
