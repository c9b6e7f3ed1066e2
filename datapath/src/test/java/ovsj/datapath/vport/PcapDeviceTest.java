package ovsj.datapath.vport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ovsj.datapath.vport.PcapFileTest.frame;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ovsj.netlink.Errno;

class PcapDeviceTest {
    @TempDir
    Path dir;

    /** A pcap of {@code n} frames (frame i is 60 + i bytes) in the given flavour. */
    Path input(String name, int n, boolean nanos, ByteOrder order) throws IOException {
        Path p = dir.resolve(name);
        try (PcapFile.Writer w = PcapFile.Writer.create(p, new PcapFile.Header(nanos, order, 2, 4, 65535, 1))) {
            for (int i = 0; i < n; i++) {
                w.write(i, frame(60 + i, i), 0, 60 + i);
            }
        }
        return p;
    }

    /** Collects what the device delivers. */
    static final class Sink implements VportDevice.Ingress {
        final List<byte[]> frames = Collections.synchronizedList(new ArrayList<>());
        volatile boolean accept = true;

        @Override
        public boolean receive(byte[] f, int off, int len) {
            frames.add(Arrays.copyOfRange(f, off, off + len));
            return accept;
        }
    }

    private static PcapDevice open(String in, String out, int rate, boolean loop) throws VportDeviceException {
        return PcapDevice.open("p1", new PcapOptions(in, out, rate, loop));
    }

    private static void assertRefused(String in, String out, int errno, String message) {
        assertThatThrownBy(() -> open(in, out, 0, false)).isInstanceOfSatisfying(VportDeviceException.class,
                e -> assertThat(e.errno()).isEqualTo(errno)).hasMessage(message);
    }

    @Test
    void replaysEveryFlavourInOrder() throws Exception {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                Path in = input("in-" + order + nanos + ".pcap", 20, nanos, order);
                Sink sink = new Sink();
                try (PcapDevice d = open(in.toString(), null, 0, false)) {
                    assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.NONE);
                    d.start(sink);
                    assertThat(d.awaitReplay(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.DONE);
                    assertThat(d.rxPackets()).isEqualTo(20);
                    assertThat(d.rxDropped()).isZero();
                }
                assertThat(sink.frames).hasSize(20);
                for (int i = 0; i < 20; i++) {
                    assertThat(sink.frames.get(i)).isEqualTo(frame(60 + i, i));
                }
            }
        }
    }

    @Test
    void framesTheDatapathRefusesAreCounted() throws Exception {
        Path in = input("in.pcap", 5, false, ByteOrder.LITTLE_ENDIAN);
        Sink sink = new Sink();
        sink.accept = false;
        try (PcapDevice d = open(in.toString(), null, 0, false)) {
            d.start(sink);
            assertThat(d.awaitReplay(10, TimeUnit.SECONDS)).isTrue();
            assertThat(d.rxDropped()).isEqualTo(5);
            assertThat(d.rxPackets()).isZero();
        }
    }

    @Test
    void theRateIsKept() throws Exception {
        Path in = input("in.pcap", 11, false, ByteOrder.LITTLE_ENDIAN);
        Sink sink = new Sink();
        long t0 = System.nanoTime();
        try (PcapDevice d = open(in.toString(), null, 50, false)) {
            d.start(sink);
            assertThat(d.awaitReplay(10, TimeUnit.SECONDS)).isTrue();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // 11 frames at 50 pps: the first at once, the last 200 ms later.
        assertThat(ms).isGreaterThanOrEqualTo(195);
        assertThat(sink.frames).hasSize(11);
    }

    @Test
    void aLoopReplaysUntilClosed() throws Exception {
        Path in = input("in.pcap", 3, false, ByteOrder.LITTLE_ENDIAN);
        AtomicInteger n = new AtomicInteger();
        PcapDevice d = open(in.toString(), null, 0, true);
        d.start((f, off, len) -> n.incrementAndGet() > 0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (n.get() < 30 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.RUNNING);
        d.close();
        assertThat(d.awaitReplay(0, TimeUnit.SECONDS)).isTrue();
        assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.STOPPED);
        int after = n.get();
        assertThat(after).isGreaterThanOrEqualTo(30);
        Thread.sleep(20);
        assertThat(n.get()).isEqualTo(after);
        d.close(); // idempotent
    }

    @Test
    void aLoopOverAnEmptyFileEnds() throws Exception {
        Path in = input("empty.pcap", 0, false, ByteOrder.LITTLE_ENDIAN);
        try (PcapDevice d = open(in.toString(), null, 0, true)) {
            d.start(new Sink());
            assertThat(d.awaitReplay(10, TimeUnit.SECONDS)).isTrue();
            assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.DONE);
        }
    }

    @Test
    void aCorruptRecordStopsTheReplayButNotThePort() throws Exception {
        Path in = input("in.pcap", 4, false, ByteOrder.LITTLE_ENDIAN);
        byte[] b = Files.readAllBytes(in);
        Files.write(in, Arrays.copyOf(b, b.length - 10)); // cut the last record
        Path out = dir.resolve("out.pcap");
        Sink sink = new Sink();
        try (PcapDevice d = open(in.toString(), out.toString(), 0, false)) {
            d.start(sink);
            assertThat(d.awaitReplay(10, TimeUnit.SECONDS)).isTrue();
            assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.FAILED);
            assertThat(sink.frames).hasSize(3);
            assertThat(d.send(InternalDeviceTest.packet((byte) 1, (byte) 2))).isTrue();
        }
        try (PcapFile.Reader r = PcapFile.Reader.open(out)) {
            assertThat(r.next()).isTrue();
            assertThat(r.length()).isEqualTo(2);
        }
    }

    @Test
    void sentFramesAreWrittenAndReadableWhileOpen() throws Exception {
        Path out = dir.resolve("out.pcap");
        try (PcapDevice d = open(null, out.toString(), 0, false)) {
            d.start(new Sink()); // no input: nothing to replay
            assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.NONE);
            assertThat(d.awaitReplay(0, TimeUnit.SECONDS)).isTrue();
            long before = System.currentTimeMillis();
            for (int i = 0; i < 3; i++) {
                assertThat(d.send(InternalDeviceTest.packet(frame(64 + i, i)))).isTrue();
            }
            try (PcapFile.Reader r = PcapFile.Reader.open(out)) {
                assertThat(r.header()).isEqualTo(new PcapFile.Header(false, ByteOrder.LITTLE_ENDIAN, 2, 4, 65535, 1));
                for (int i = 0; i < 3; i++) {
                    assertThat(r.next()).isTrue();
                    assertThat(Arrays.copyOf(r.data(), r.length())).isEqualTo(frame(64 + i, i));
                    assertThat(r.timestampNanos() / 1_000_000).isBetween(before - 1000, before + 60_000);
                }
                assertThat(r.next()).isFalse();
            }
            assertThat(d.txPackets()).isEqualTo(3);
            assertThat(d.txBytes()).isEqualTo(64 + 65 + 66);
            d.close();
            assertThat(d.send(InternalDeviceTest.packet((byte) 1))).isFalse();
        }
        try (PcapFile.Reader r = PcapFile.Reader.open(out)) {
            int n = 0;
            while (r.next()) {
                n++;
            }
            assertThat(n).isEqualTo(3);
        }
    }

    @Test
    void withoutAnOutputSendsAreDropped() throws Exception {
        Path in = input("in.pcap", 1, false, ByteOrder.LITTLE_ENDIAN);
        try (PcapDevice d = open(in.toString(), null, 0, false)) {
            assertThat(d.send(InternalDeviceTest.packet((byte) 1))).isFalse();
            assertThat(d.txPackets()).isZero();
        }
    }

    @Test
    void badFilesAreRefusedWithTheirErrnoAndName() throws IOException {
        Path missing = dir.resolve("missing.pcap");
        assertRefused(missing.toString(), null, -Errno.ENOENT,
                "pcap port p1: input file " + missing + " does not exist");
        Path garbage = dir.resolve("garbage.pcap");
        Files.writeString(garbage, "this is not a pcap file at all");
        assertRefused(garbage.toString(), null, -Errno.EINVAL, "pcap port p1: input file " + garbage
                + " is not a pcap file we can replay: bad magic number 0x74686973 (not a classic pcap file)");
        Path shortFile = dir.resolve("short.pcap");
        Files.write(shortFile, new byte[] {(byte) 0xd4, (byte) 0xc3});
        assertRefused(shortFile.toString(), null, -Errno.EINVAL, "pcap port p1: input file " + shortFile
                + " is not a pcap file we can replay: too short for a pcap header (2 bytes)");
        Path raw = dir.resolve("raw.pcap");
        PcapFile.Writer.create(raw, new PcapFile.Header(false, ByteOrder.LITTLE_ENDIAN, 2, 4, 65535, 101)).close();
        assertRefused(raw.toString(), null, -Errno.EINVAL, "pcap port p1: input file " + raw
                + " is not a pcap file we can replay: linktype 101 is not Ethernet (1)");
        assertRefused(dir.toString(), null, -Errno.EISDIR, "pcap port p1: input file " + dir + " is a directory");

        Path noDir = dir.resolve("no/such/dir/out.pcap");
        assertThatThrownBy(() -> open(null, noDir.toString(), 0, false))
                .isInstanceOfSatisfying(VportDeviceException.class, e -> assertThat(e.errno()).isEqualTo(-Errno.EACCES))
                .hasMessageStartingWith("pcap port p1: cannot create output file " + noDir + ": NoSuchFileException");
        assertThatThrownBy(() -> open(null, dir.toString(), 0, false))
                .isInstanceOfSatisfying(VportDeviceException.class, e -> assertThat(e.errno()).isEqualTo(-Errno.EACCES))
                .hasMessageStartingWith("pcap port p1: cannot create output file " + dir + ": ");
        Path good = input("good.pcap", 1, false, ByteOrder.LITTLE_ENDIAN);
        assertRefused(good.toString(), dir.resolve(".").resolve("good.pcap").toString(), -Errno.EINVAL,
                "pcap port p1: input and output are the same file " + good);
        // A missing input is found before the output is created (and truncated).
        Path out = dir.resolve("keep.pcap");
        Files.writeString(out, "keep");
        assertRefused(missing.toString(), out.toString(), -Errno.ENOENT,
                "pcap port p1: input file " + missing + " does not exist");
        assertThat(Files.readString(out)).isEqualTo("keep");
    }

    @Test
    void optionsAreCheckedForTheFamily() throws VportDeviceException {
        assertThatThrownBy(() -> PcapDevice.options("p1", new byte[0], -1, 0))
                .isInstanceOfSatisfying(VportDeviceException.class, e -> assertThat(e.errno()).isEqualTo(-Errno.EINVAL))
                .hasMessage("pcap port p1: no OVS_VPORT_ATTR_OPTIONS: an INPUT or an OUTPUT file is needed");
        assertThatThrownBy(() -> PcapDevice.options("p1", new byte[0], 0, 0))
                .hasMessage("pcap port p1: neither an INPUT nor an OUTPUT file in the options");
        byte[] rate = {8, 0, 3, 0, 1, 0, 0, 0, 8, 0, 2, 0, 'o', 0, 0, 0};
        assertThat(PcapDevice.options("p1", rate, 0, rate.length)).isEqualTo(new PcapOptions(null, "o", 1, false));
    }
}
