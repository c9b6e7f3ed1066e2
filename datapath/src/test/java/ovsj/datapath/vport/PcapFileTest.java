package ovsj.datapath.vport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileTest {
    @TempDir
    Path dir;

    static byte[] frame(int n, int seed) {
        byte[] f = new byte[n];
        for (int i = 0; i < n; i++) {
            f[i] = (byte) (seed * 31 + i);
        }
        return f;
    }

    /** A whole file by hand: header then records of (sec, frac, data). */
    static byte[] file(int magic, ByteOrder order, int linktype, Object[]... records) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(order);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linktype);
        for (Object[] r : records) {
            byte[] d = (byte[]) r[2];
            b.putInt((Integer) r[0]).putInt((Integer) r[1]).putInt(d.length).putInt(d.length).put(d);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static List<byte[]> readAll(PcapFile.Reader r, List<Long> ts) throws IOException {
        List<byte[]> out = new ArrayList<>();
        while (r.next()) {
            out.add(Arrays.copyOf(r.data(), r.length()));
            ts.add(r.timestampNanos());
        }
        return out;
    }

    @Test
    void writesTheLibpcapHeaderAndRecordsByteForByte() throws IOException {
        Path p = dir.resolve("out.pcap");
        try (PcapFile.Writer w = PcapFile.Writer.create(p)) {
            w.write(1_700_000_000_123_456_789L, new byte[] {1, 2, 3, 4, 5, 6}, 1, 4);
            assertThat(w.records()).isEqualTo(1);
        }
        String hex = HexFormat.of().formatHex(Files.readAllBytes(p));
        assertThat(hex).isEqualTo("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000"
                + "00f15365" + "40e20100" + "04000000" + "04000000" + "02030405");
    }

    @Test
    void readsBothMagicsInBothByteOrders() throws IOException {
        byte[] a = frame(60, 1);
        byte[] b = frame(1514, 2);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (int magic : new int[] {PcapFile.MAGIC_MICROS, PcapFile.MAGIC_NANOS}) {
                boolean nanos = magic == PcapFile.MAGIC_NANOS;
                byte[] f = file(magic, order, 1, new Object[] {10, 999_999, a}, new Object[] {11, 5, b});
                try (PcapFile.Reader r = new PcapFile.Reader(new ByteArrayInputStream(f))) {
                    assertThat(r.header().nanos()).isEqualTo(nanos);
                    assertThat(r.header().order()).isEqualTo(order);
                    assertThat(r.header().snaplen()).isEqualTo(65535);
                    List<Long> ts = new ArrayList<>();
                    assertThat(readAll(r, ts)).containsExactly(a, b);
                    long unit = nanos ? 1 : 1000;
                    assertThat(ts).containsExactly(10_000_000_000L + 999_999 * unit, 11_000_000_000L + 5 * unit);
                    assertThat(r.records()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void roundTripsEveryHeaderVariant() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                Path p = dir.resolve("v-" + order + nanos + ".pcap");
                PcapFile.Header h = new PcapFile.Header(nanos, order, 2, 4, 65535, 1);
                List<byte[]> frames = List.of(frame(14, 3), frame(64, 4), frame(9000, 5));
                try (PcapFile.Writer w = PcapFile.Writer.create(p, h)) {
                    for (int i = 0; i < frames.size(); i++) {
                        w.write(1_000_000_000L * i + 123_456_789L, frames.get(i), 0, frames.get(i).length);
                    }
                }
                try (PcapFile.Reader r = PcapFile.Reader.open(p)) {
                    assertThat(r.header()).isEqualTo(h);
                    List<Long> ts = new ArrayList<>();
                    assertThat(readAll(r, ts)).containsExactlyElementsOf(frames);
                    long frac = nanos ? 123_456_789L : 123_456_000L;
                    assertThat(ts).containsExactly(frac, 1_000_000_000L + frac, 2_000_000_000L + frac);
                }
            }
        }
    }

    @Test
    void framesOverTheSnaplenAreCutAndKeepTheirLength() throws IOException {
        Path p = dir.resolve("big.pcap");
        byte[] big = frame(70_000, 6);
        try (PcapFile.Writer w = PcapFile.Writer.create(p)) {
            w.write(0, big, 0, big.length);
        }
        try (PcapFile.Reader r = PcapFile.Reader.open(p)) {
            assertThat(r.next()).isTrue();
            assertThat(r.length()).isEqualTo(65535);
            assertThat(r.originalLength()).isEqualTo(70_000);
            assertThat(Arrays.copyOf(r.data(), r.length())).isEqualTo(Arrays.copyOf(big, 65535));
            assertThat(r.next()).isFalse();
        }
    }

    @Test
    void aReaderSeesWholeRecordsWhileTheWriterIsOpen() throws IOException {
        Path p = dir.resolve("live.pcap");
        try (PcapFile.Writer w = PcapFile.Writer.create(p)) {
            try (PcapFile.Reader r = PcapFile.Reader.open(p)) {
                assertThat(r.next()).isFalse();
            }
            w.write(0, frame(60, 7), 0, 60);
            w.write(0, frame(61, 8), 0, 61);
            try (PcapFile.Reader r = PcapFile.Reader.open(p)) {
                assertThat(readAll(r, new ArrayList<>())).containsExactly(frame(60, 7), frame(61, 8));
            }
        }
    }

    @Test
    void anExistingOutputIsTruncated() throws IOException {
        Path p = dir.resolve("old.pcap");
        Files.write(p, new byte[5000]);
        PcapFile.Writer.create(p).close();
        assertThat(Files.size(p)).isEqualTo(24);
    }

    @Test
    void badHeadersAreFormatErrors() {
        byte[] good = file(PcapFile.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 1);
        assertHeaderError(new byte[0], "too short for a pcap header (0 bytes)");
        assertHeaderError(Arrays.copyOf(good, 23), "too short for a pcap header (23 bytes)");
        byte[] pcapng = good.clone();
        ByteBuffer.wrap(pcapng).putInt(0x0a0d0d0a);
        assertHeaderError(pcapng, "bad magic number 0x0a0d0d0a (not a classic pcap file)");
        byte[] v1 = good.clone();
        v1[4] = 1;
        assertHeaderError(v1, "unsupported pcap version 1.4");
        assertHeaderError(file(PcapFile.MAGIC_MICROS, ByteOrder.BIG_ENDIAN, 101), "linktype 101 is not Ethernet (1)");
        assertHeaderError(file(PcapFile.MAGIC_NANOS, ByteOrder.LITTLE_ENDIAN, 0x10000001),
                "linktype 268435457 is not Ethernet (1)");
    }

    private static void assertHeaderError(byte[] f, String message) {
        assertThatThrownBy(() -> new PcapFile.Reader(new ByteArrayInputStream(f)))
                .isInstanceOf(PcapFile.FormatException.class).hasMessage(message);
    }

    @Test
    void cutAndCorruptRecordsAreFormatErrorsAfterTheGoodOnes() throws IOException {
        byte[] f = file(PcapFile.MAGIC_MICROS, ByteOrder.LITTLE_ENDIAN, 1,
                new Object[] {1, 0, frame(60, 1)}, new Object[] {2, 0, frame(70, 2)});
        // 24 + 16 + 60 = 100: the second record starts at offset 100.
        assertRecordError(Arrays.copyOf(f, 100 + 7), "record 2 at offset 100: truncated header (7 of 16 bytes)");
        assertRecordError(Arrays.copyOf(f, 100 + 16 + 69), "record 2 at offset 100: truncated data (69 of 70 bytes)");
        byte[] huge = f.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(100 + 8, 262145);
        assertRecordError(huge, "record 2 at offset 100: captured length 262145 is over 262144");
        byte[] negative = f.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putInt(100 + 8, -1);
        assertRecordError(negative, "record 2 at offset 100: captured length 4294967295 is over 262144");
    }

    private static void assertRecordError(byte[] f, String message) throws IOException {
        try (PcapFile.Reader r = new PcapFile.Reader(new ByteArrayInputStream(f))) {
            assertThat(r.next()).isTrue();
            assertThat(Arrays.copyOf(r.data(), r.length())).isEqualTo(frame(60, 1));
            assertThatThrownBy(r::next).isInstanceOf(PcapFile.FormatException.class).hasMessage(message);
        }
    }

    @Test
    void emptyRecordsAndHeaderOnlyFilesRead() throws IOException {
        byte[] f = file(PcapFile.MAGIC_MICROS, ByteOrder.BIG_ENDIAN, 1, new Object[] {0, 0, new byte[0]});
        try (PcapFile.Reader r = new PcapFile.Reader(new ByteArrayInputStream(f))) {
            assertThat(r.next()).isTrue();
            assertThat(r.length()).isZero();
            assertThat(r.next()).isFalse();
            assertThat(r.next()).isFalse();
        }
    }
}
