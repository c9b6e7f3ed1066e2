package ovsj.cli.run;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A classic pcap file written in one buffered pass (the traffic files of {@code ovsj run}: millions of
 * records in a few seconds): microsecond timestamps, little-endian, snaplen 65535, Ethernet. Record
 * {@code n} is stamped {@code n} microseconds after the epoch; a pcap port's replay ignores timestamps.
 */
public final class PcapOut implements Closeable {
    private final OutputStream out;
    private final byte[] header = new byte[16];
    private long records;

    public PcapOut(Path file) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        byte[] h = new byte[24];
        le32(h, 0, 0xa1b2c3d4);
        le16(h, 4, 2);
        le16(h, 6, 4);
        // thiszone and sigfigs 0
        le32(h, 16, 65535);
        le32(h, 20, 1);
        out.write(h);
    }

    /** Appends {@code b[off, off+len)} as one record. */
    public void write(byte[] b, int off, int len) throws IOException {
        le32(header, 0, (int) (records / 1_000_000));
        le32(header, 4, (int) (records % 1_000_000));
        le32(header, 8, len);
        le32(header, 12, len);
        out.write(header);
        out.write(b, off, len);
        records++;
    }

    public long records() {
        return records;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void le16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
    }

    private static void le32(byte[] b, int p, int v) {
        le16(b, p, v);
        le16(b, p + 2, v >>> 16);
    }
}
