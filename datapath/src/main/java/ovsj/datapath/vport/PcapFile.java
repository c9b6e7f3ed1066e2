package ovsj.datapath.vport;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The classic libpcap file format, read and written by hand: a 24-byte global header (magic, version
 * 2.4, thiszone, sigfigs, snaplen, linktype) then records, each a 16-byte header (seconds, micro- or
 * nanoseconds, captured length, original length) and the captured bytes. The magic says both the byte
 * order (the writer's) and the timestamp resolution: {@code 0xa1b2c3d4} microseconds,
 * {@code 0xa1b23c4d} nanoseconds, either as read in the file's own order. Only Ethernet (linktype 1) is
 * accepted; pcapng is not this format.
 */
public final class PcapFile {
    /** Microsecond timestamps. */
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    /** Nanosecond timestamps. */
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 4;
    /** {@code LINKTYPE_ETHERNET}. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** The snaplen the writer declares (and truncates frames to). */
    public static final int DEFAULT_SNAPLEN = 65535;
    /** Longest record the reader accepts: libpcap's {@code MAXIMUM_SNAPLEN}. */
    public static final int MAX_RECORD_LENGTH = 262144;

    private PcapFile() {
    }

    /** A file that is not a pcap file we can read: bad header, wrong linktype, corrupt or cut record. */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    /** The global header. */
    public record Header(boolean nanos, ByteOrder order, int versionMajor, int versionMinor, int snaplen,
            int linktype) {

        /** Parses and checks the first 24 bytes of a file. */
        public static Header parse(byte[] b) throws FormatException {
            if (b.length < GLOBAL_HEADER_LENGTH) {
                throw new FormatException("too short for a pcap header (" + b.length + " bytes)");
            }
            ByteBuffer bb = ByteBuffer.wrap(b, 0, GLOBAL_HEADER_LENGTH).order(ByteOrder.BIG_ENDIAN);
            int magic = bb.getInt(0);
            boolean nanos;
            ByteOrder order = ByteOrder.BIG_ENDIAN;
            if (magic == MAGIC_MICROS || magic == Integer.reverseBytes(MAGIC_MICROS)) {
                nanos = false;
            } else if (magic == MAGIC_NANOS || magic == Integer.reverseBytes(MAGIC_NANOS)) {
                nanos = true;
            } else {
                throw new FormatException(String.format("bad magic number 0x%08x (not a classic pcap file)", magic));
            }
            if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
                order = ByteOrder.LITTLE_ENDIAN;
            }
            bb.order(order);
            int major = Short.toUnsignedInt(bb.getShort(4));
            int minor = Short.toUnsignedInt(bb.getShort(6));
            if (major != VERSION_MAJOR) {
                throw new FormatException("unsupported pcap version " + major + "." + minor);
            }
            int linktype = bb.getInt(20);
            if (linktype != LINKTYPE_ETHERNET) {
                throw new FormatException("linktype " + Integer.toUnsignedString(linktype)
                        + " is not Ethernet (1)");
            }
            return new Header(nanos, order, major, minor, bb.getInt(16), linktype);
        }

        /** The 24 bytes of this header. */
        public byte[] encode() {
            ByteBuffer bb = ByteBuffer.allocate(GLOBAL_HEADER_LENGTH).order(order);
            bb.putInt(nanos ? MAGIC_NANOS : MAGIC_MICROS);
            bb.putShort((short) versionMajor).putShort((short) versionMinor);
            bb.putInt(0).putInt(0); // thiszone (UTC), sigfigs
            bb.putInt(snaplen).putInt(linktype);
            return bb.array();
        }
    }

    /**
     * Reads records one by one into a reused buffer. {@link #next()} returns false at a clean end (the
     * file ends on a record boundary) and throws {@link FormatException} for a cut or corrupt record.
     * Not thread-safe.
     */
    public static final class Reader implements Closeable {
        private final InputStream in;
        private final Header header;
        private final byte[] rh = new byte[RECORD_HEADER_LENGTH];
        private final ByteBuffer rhb;
        private byte[] data = new byte[2048];
        private int length;
        private int origLength;
        private long timestampNanos;
        private long records;
        private long offset = GLOBAL_HEADER_LENGTH;

        /** Opens {@code path} and reads its header ({@code NoSuchFileException}, {@code FormatException}...). */
        public static Reader open(Path path) throws IOException {
            InputStream in = Files.newInputStream(path);
            try {
                return new Reader(in);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** Reads the global header from {@code in}; the reader owns {@code in} from now on. */
        public Reader(InputStream in) throws IOException {
            this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
            this.header = Header.parse(this.in.readNBytes(GLOBAL_HEADER_LENGTH));
            this.rhb = ByteBuffer.wrap(rh).order(header.order());
        }

        public Header header() {
            return header;
        }

        /** Reads the next record; false at the end of the file. */
        public boolean next() throws IOException {
            int n = in.readNBytes(rh, 0, RECORD_HEADER_LENGTH);
            if (n == 0) {
                return false;
            }
            if (n < RECORD_HEADER_LENGTH) {
                throw new FormatException("record " + (records + 1) + " at offset " + offset
                        + ": truncated header (" + n + " of 16 bytes)");
            }
            long sec = Integer.toUnsignedLong(rhb.getInt(0));
            long frac = Integer.toUnsignedLong(rhb.getInt(4));
            long incl = Integer.toUnsignedLong(rhb.getInt(8));
            long orig = Integer.toUnsignedLong(rhb.getInt(12));
            if (incl > MAX_RECORD_LENGTH) {
                throw new FormatException("record " + (records + 1) + " at offset " + offset
                        + ": captured length " + incl + " is over " + MAX_RECORD_LENGTH);
            }
            if (data.length < incl) {
                data = new byte[(int) Math.max(incl, 2L * data.length)];
            }
            int got = in.readNBytes(data, 0, (int) incl);
            if (got < incl) {
                throw new FormatException("record " + (records + 1) + " at offset " + offset
                        + ": truncated data (" + got + " of " + incl + " bytes)");
            }
            length = (int) incl;
            origLength = (int) Math.min(orig, Integer.MAX_VALUE);
            timestampNanos = sec * 1_000_000_000L + (header.nanos() ? frac : frac * 1000);
            records++;
            offset += RECORD_HEADER_LENGTH + incl;
            return true;
        }

        /** The current record's bytes: {@code data()[0, length())}; overwritten by the next record. */
        public byte[] data() {
            return data;
        }

        public int length() {
            return length;
        }

        /** The frame's length on the wire (may exceed {@link #length()}). */
        public int originalLength() {
            return origLength;
        }

        /** The current record's timestamp in nanoseconds since the epoch. */
        public long timestampNanos() {
            return timestampNanos;
        }

        /** Records read so far. */
        public long records() {
            return records;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Appends records to a new file (an existing one is truncated), each with one {@code write} to the
     * file, so that a reader ({@code tshark -r}) sees whole records while it is being written.
     * Thread-safe.
     */
    public static final class Writer implements Closeable {
        private final FileChannel ch;
        private final Header header;
        private byte[] rec = new byte[RECORD_HEADER_LENGTH + 2048];
        private long records;
        private boolean closed;

        /** Microseconds, little-endian, snaplen 65535, Ethernet: what {@code tcpdump -w} writes on x86. */
        public static Writer create(Path path) throws IOException {
            return create(path, new Header(false, ByteOrder.LITTLE_ENDIAN, VERSION_MAJOR, VERSION_MINOR,
                    DEFAULT_SNAPLEN, LINKTYPE_ETHERNET));
        }

        /** A file with the given header (tests write every variant). */
        public static Writer create(Path path, Header header) throws IOException {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            try {
                writeFully(ch, header.encode(), GLOBAL_HEADER_LENGTH);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return new Writer(ch, header);
        }

        private Writer(FileChannel ch, Header header) {
            this.ch = ch;
            this.header = header;
        }

        public Header header() {
            return header;
        }

        /** Appends {@code b[off, off+len)} (cut to the snaplen) with the given timestamp. */
        public synchronized void write(long timestampNanos, byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("pcap writer is closed");
            }
            int snap = header.snaplen() <= 0 ? len : header.snaplen();
            int incl = Math.min(len, snap);
            int total = RECORD_HEADER_LENGTH + incl;
            if (rec.length < total) {
                rec = new byte[Math.max(total, 2 * rec.length)];
            }
            long sec = Math.floorDiv(timestampNanos, 1_000_000_000L);
            long ns = Math.floorMod(timestampNanos, 1_000_000_000L);
            ByteBuffer bb = ByteBuffer.wrap(rec).order(header.order());
            bb.putInt(0, (int) sec);
            bb.putInt(4, (int) (header.nanos() ? ns : ns / 1000));
            bb.putInt(8, incl);
            bb.putInt(12, len);
            System.arraycopy(b, off, rec, RECORD_HEADER_LENGTH, incl);
            writeFully(ch, rec, total);
            records++;
        }

        /** Records written. */
        public synchronized long records() {
            return records;
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                ch.close();
            }
        }

        private static void writeFully(FileChannel ch, byte[] b, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
    }
}
