package ovsj.cli.run;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built-in traffic source of {@code ovsj run}: a classic pcap file (microseconds, little-endian,
 * Ethernet) of {@code flows} distinct UDP/IPv4 flows, each sent {@code rounds} times (round after round,
 * so that a flow's later packets come after its first one was handled).
 *
 * <p>Flow {@code i} goes from host {@code i % S} to host {@code i / S} of another group, with
 * {@code S = ceil(sqrt(flows))}: 10000 flows run between 100 source and 100 destination MACs, and every
 * flow is a distinct (source MAC, destination MAC) pair, so the {@code normal} pipeline (which matches
 * exactly on both MACs and wildcards L3/L4) makes one megaflow per flow. Sources are
 * {@code 02:00:00:00:hh:ll} ({@code 10.0.h.l}), destinations {@code 02:00:01:00:hh:ll}
 * ({@code 10.1.h.l}); UDP ports {@code 1024 + i % 60000} → 53. Destinations never send, so every flow
 * floods.
 */
public final class TrafficPcap {
    /** Frame length: the Ethernet minimum (without FCS). */
    static final int FRAME = 60;

    private TrafficPcap() {
    }

    /** Hosts per side for {@code flows} flows. */
    public static int sources(int flows) {
        return Math.max(1, (int) Math.ceil(Math.sqrt(flows)));
    }

    /** Writes the file; returns the number of frames. */
    public static long write(Path file, int flows, int rounds) throws IOException {
        if (flows < 1 || rounds < 1) {
            throw new IllegalArgumentException("flows " + flows + ", rounds " + rounds);
        }
        int s = sources(flows);
        ByteBuffer rec = ByteBuffer.allocate(16 + FRAME).order(ByteOrder.LITTLE_ENDIAN);
        long frames = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(65535).putInt(1);
            out.write(h.array());
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < flows; i++) {
                    rec.clear();
                    long us = frames;
                    rec.putInt((int) (us / 1_000_000)).putInt((int) (us % 1_000_000)).putInt(FRAME).putInt(FRAME);
                    frame(rec, i % s, i / s, 1024 + i % 60000);
                    out.write(rec.array(), 0, rec.position());
                    frames++;
                }
            }
        }
        return frames;
    }

    /** One Ethernet/IPv4/UDP frame from source host {@code src} to destination host {@code dst}. */
    static void frame(ByteBuffer b, int src, int dst, int sport) {
        b.order(ByteOrder.BIG_ENDIAN);
        int start = b.position();
        // Ethernet
        putMac(b, 0x0200_0100_0000L | (dst & 0xffff));
        putMac(b, 0x0200_0000_0000L | (src & 0xffff));
        b.putShort((short) 0x0800);
        // IPv4
        int ip = b.position();
        int ipLen = FRAME - 14;
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0);
        b.putInt(0x0a00_0000 | (src & 0xffff)).putInt(0x0a01_0000 | (dst & 0xffff));
        int sum = 0;
        for (int k = 0; k < 20; k += 2) {
            sum += b.getShort(ip + k) & 0xffff;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        b.putShort(ip + 10, (short) ~sum);
        // UDP (no checksum)
        b.putShort((short) sport).putShort((short) 53).putShort((short) (ipLen - 20)).putShort((short) 0);
        while (b.position() < start + FRAME) {
            b.put((byte) 0);
        }
        b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (mac >>> (8 * i)));
        }
    }
}
