package ovsj.datapath.vport;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;

/**
 * A pcap port: ovsj's own vport type {@value #OVS_VPORT_TYPE_PCAP} ({@link #OVS_VPORT_TYPE_PCAP}, outside
 * the kernel's {@code enum ovs_vport_type}, whose last value is {@code OVS_VPORT_TYPE_GENEVE} = 5; a
 * real kernel answers it with EAFNOSUPPORT). Its options ({@link PcapOptions}, nested in
 * {@code OVS_VPORT_ATTR_OPTIONS}) name an input and/or an output file:
 *
 * <ul>
 * <li>the frames of the input (classic pcap, micro- or nanosecond, either byte order, Ethernet) are
 * replayed into the datapath by a thread, {@code RATE_PPS} a second (0: as fast as the datapath takes
 * them; the file's timestamps are ignored), from the start again if {@code LOOP} is set. Empty records
 * are skipped. A frame the datapath refuses is counted in {@link #rxDropped()}. A corrupt or cut
 * record stops the replay with a log line; the port stays up.
 * <li>the frames the datapath sends to the port are appended to the output (created, or truncated;
 * microseconds, little-endian, snaplen 65535, linktype 1), one write per record, so {@code tshark -r}
 * reads it while the port runs and after. Without an output, sends are dropped (tx_dropped).
 * </ul>
 *
 * <p>{@link #open} checks both files before the port exists, so that {@code OVS_VPORT_CMD_NEW} fails
 * cleanly: ENOENT (no input file), EACCES (input unreadable, or output cannot be created), EISDIR (the
 * input is a directory), EINVAL (not a classic pcap header, version other than 2.x, linktype not 1,
 * input and output the same file). Every refusal is logged with the file's name.
 */
public final class PcapDevice implements VportDevice {
    /** {@code OVS_VPORT_TYPE_PCAP}: ovsj's own vport type number. */
    public static final int OVS_VPORT_TYPE_PCAP = 100;

    private static final Logger log = LoggerFactory.getLogger(PcapDevice.class);
    /** How long {@link #close()} waits for the replay thread to leave the datapath. */
    private static final long CLOSE_WAIT_MS = 2000;
    /** A paced replay that fell behind does not burst more than this to catch up. */
    private static final long MAX_BACKLOG_NS = 100_000_000L;

    /** Where a replay stands. */
    public enum ReplayState { NONE, RUNNING, DONE, FAILED, STOPPED }

    private final String port;
    private final PcapOptions options;
    private final Path input;
    private final PcapFile.Writer output;
    private final LongAdder rxPackets = new LongAdder();
    private final LongAdder rxDropped = new LongAdder();
    private final LongAdder txPackets = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final LongAdder txErrors = new LongAdder();
    private final CountDownLatch replayEnded = new CountDownLatch(1);
    private volatile ReplayState replayState = ReplayState.NONE;
    private volatile boolean closed;
    private volatile boolean txErrorLogged;
    private Thread replay;

    private PcapDevice(String port, PcapOptions options, Path input, PcapFile.Writer output) {
        this.port = port;
        this.options = options;
        this.input = input;
        this.output = output;
    }

    /**
     * Checks the input's header and creates the output (writing its header). Throws with the errno for
     * {@code OVS_VPORT_CMD_NEW}, after logging why.
     */
    public static PcapDevice open(String port, PcapOptions options) throws VportDeviceException {
        Path in = options.input() == null ? null : path(port, "input", options.input());
        Path out = options.output() == null ? null : path(port, "output", options.output());
        if (in != null) {
            checkInput(port, in);
        }
        if (in != null && out != null
                && in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw refuse(-Errno.EINVAL, port, "input and output are the same file " + in);
        }
        PcapFile.Writer w = null;
        if (out != null) {
            try {
                w = PcapFile.Writer.create(out);
            } catch (IOException | SecurityException e) {
                throw refuse(-Errno.EACCES, port, "cannot create output file " + out + ": " + reason(e));
            }
        }
        return new PcapDevice(port, options, in, w);
    }

    /**
     * Parses the payload of {@code OVS_VPORT_ATTR_OPTIONS} ({@code buf[off, off+len)}; {@code off} &lt; 0:
     * the request had none, EINVAL), logging a refusal with the port's name.
     */
    public static PcapOptions options(String port, byte[] buf, int off, int len) throws VportDeviceException {
        if (off < 0) {
            throw refuse(-Errno.EINVAL, port, "no OVS_VPORT_ATTR_OPTIONS: an INPUT or an OUTPUT file is needed");
        }
        try {
            return PcapOptions.parse(buf, off, len);
        } catch (VportDeviceException e) {
            throw refuse(e.errno(), port, e.getMessage());
        }
    }

    private static Path path(String port, String what, String s) throws VportDeviceException {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw refuse(-Errno.EINVAL, port, "bad " + what + " file name " + s + ": " + e.getReason());
        }
    }

    private static void checkInput(String port, Path in) throws VportDeviceException {
        if (Files.isDirectory(in)) {
            throw refuse(-Errno.EISDIR, port, "input file " + in + " is a directory");
        }
        try (PcapFile.Reader r = PcapFile.Reader.open(in)) {
            log.debug("pcap port {}: input file {}: {}", port, in, r.header());
        } catch (NoSuchFileException e) {
            throw refuse(-Errno.ENOENT, port, "input file " + in + " does not exist");
        } catch (AccessDeniedException | SecurityException e) {
            throw refuse(-Errno.EACCES, port, "input file " + in + " cannot be read: permission denied");
        } catch (PcapFile.FormatException e) {
            throw refuse(-Errno.EINVAL, port, "input file " + in + " is not a pcap file we can replay: "
                    + e.getMessage());
        } catch (IOException e) {
            throw refuse(-Errno.EIO, port, "input file " + in + " cannot be read: " + reason(e));
        }
    }

    private static VportDeviceException refuse(int errno, String port, String why) {
        String msg = "pcap port " + port + ": " + why;
        log.warn(msg);
        return new VportDeviceException(errno, msg);
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    public String port() {
        return port;
    }

    public PcapOptions options() {
        return options;
    }

    // ---- transmit -------------------------------------------------------------------------------

    /** Appends the frame to the output file; false (dropped) without one, after close, or on an I/O error. */
    @Override
    public boolean send(Packet p) {
        if (output == null || closed) {
            return false;
        }
        Instant now = Instant.now();
        try {
            output.write(now.getEpochSecond() * 1_000_000_000L + now.getNano(), p.buf, p.off, p.len);
        } catch (IOException e) {
            txErrors.increment();
            if (!closed && !txErrorLogged) {
                txErrorLogged = true;
                log.warn("pcap port {}: cannot write to output file {}: {} (frames are dropped; logged once)",
                        port, options.output(), reason(e));
            }
            return false;
        }
        txPackets.increment();
        txBytes.add(p.len);
        return true;
    }

    // ---- receive (replay) -----------------------------------------------------------------------

    /** Starts the replay thread if the port has an input file (once). */
    @Override
    public synchronized void start(Ingress ingress) {
        if (input == null || replay != null || closed) {
            return;
        }
        replayState = ReplayState.RUNNING;
        replay = Thread.ofPlatform().daemon().name("pcap-replay-" + port).start(() -> replay(ingress));
    }

    private void replay(Ingress ingress) {
        long rate = options.ratePpsUnsigned();
        long delivered = 0;
        long anchorTime = System.nanoTime();
        long anchorCount = 0;
        long passes = 0;
        try {
            do {
                long inPass = 0;
                try (PcapFile.Reader r = PcapFile.Reader.open(input)) {
                    while (!closed && r.next()) {
                        if (r.length() == 0) {
                            continue;
                        }
                        if (rate > 0) {
                            long due = anchorTime + (long) ((delivered - anchorCount) * 1e9 / rate);
                            long now = System.nanoTime();
                            if (now - due > MAX_BACKLOG_NS) {
                                anchorTime = now;
                                anchorCount = delivered;
                            }
                            for (long wait = due - now; wait > 0 && !closed; wait = due - System.nanoTime()) {
                                LockSupport.parkNanos(this, wait);
                            }
                            if (closed) {
                                break;
                            }
                        }
                        if (ingress.receive(r.data(), 0, r.length())) {
                            rxPackets.increment();
                        } else {
                            rxDropped.increment();
                        }
                        delivered++;
                        inPass++;
                    }
                }
                passes++;
                if (inPass == 0) {
                    break; // nothing to loop over
                }
            } while (options.loop() && !closed);
            replayState = closed ? ReplayState.STOPPED : ReplayState.DONE;
            log.info("pcap port {}: replay of {} {}: {} frames in {} pass(es), {} refused by the datapath",
                    port, input, closed ? "stopped" : "done", delivered, passes, rxDropped.sum());
        } catch (PcapFile.FormatException e) {
            replayState = ReplayState.FAILED;
            log.warn("pcap port {}: input file {}: {}; replay stopped after {} frames, the port stays up",
                    port, input, e.getMessage(), delivered);
        } catch (IOException e) {
            replayState = ReplayState.FAILED;
            log.warn("pcap port {}: input file {} cannot be read: {}; replay stopped after {} frames,"
                    + " the port stays up", port, input, reason(e), delivered);
        } catch (RuntimeException e) {
            replayState = ReplayState.FAILED;
            log.error("pcap port {}: replay of {} stopped after {} frames: the datapath threw", port, input,
                    delivered, e);
        } finally {
            replayEnded.countDown();
        }
    }

    /** Where the replay stands ({@link ReplayState#NONE} without an input or before {@link #start}). */
    public ReplayState replayState() {
        return replayState;
    }

    /** Waits until the replay thread ends (done, failed or stopped); true if it did within the time. */
    public boolean awaitReplay(long timeout, TimeUnit unit) throws InterruptedException {
        if (input == null) {
            return true;
        }
        return replayEnded.await(timeout, unit);
    }

    // ---- counters and close ---------------------------------------------------------------------

    /** Frames replayed that the datapath took. */
    public long rxPackets() {
        return rxPackets.sum();
    }

    /** Frames replayed that the datapath refused. */
    public long rxDropped() {
        return rxDropped.sum();
    }

    /** Frames written to the output. */
    public long txPackets() {
        return txPackets.sum();
    }

    /** Bytes of those frames (before any cut to the snaplen). */
    public long txBytes() {
        return txBytes.sum();
    }

    /** Frames that could not be written. */
    public long txErrors() {
        return txErrors.sum();
    }

    /**
     * Stops the replay (waiting up to 2 s for the thread to leave the datapath) and closes the output.
     * Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = replay;
        }
        if (t != null && t != Thread.currentThread()) {
            LockSupport.unpark(t);
            try {
                if (!t.join(java.time.Duration.ofMillis(CLOSE_WAIT_MS))) {
                    log.warn("pcap port {}: the replay thread did not stop within {} ms", port, CLOSE_WAIT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (output != null) {
            try {
                output.close();
            } catch (IOException e) {
                log.warn("pcap port {}: closing output file {}: {}", port, options.output(), reason(e));
            }
        }
    }
}
