package ovsj.cli.run;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import ovsj.datapath.Datapath;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.PortIds;
import ovsj.netlink.NlMsgHdr;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.FlowDump;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.text.OdpActionsFormat;
import ovsj.odp.text.OdpFlowFormat;
import ovsj.odp.text.OdpUfid;
import ovsj.odp.text.PortNames;
import ovsj.odp.uapi.VportType;
import ovsj.vswitchd.Handler;
import ovsj.vswitchd.Vswitchd;

/**
 * The end-to-end tests' bench: a real in-process {@link OvsDatapath} and a {@link Vswitchd} over
 * {@link InProcessChannel}s (as {@code ovsj run} wires them), internal ports {@code p1}–{@code p3}, real
 * Ethernet frames injected as {@code netdev-dummy/receive} does, and a netlink client of its own (a
 * {@link Dpif}) to dump the datapath's flows as {@code ovs-dpctl dump-flows} would.
 *
 * <p>The revalidators' sockets (comm {@code "revalidator"}) are wrapped in {@link SlowDumps}: while
 * {@link #dumpDelayMs} is positive, every dump request they send waits that long first, which makes
 * the revalidators' rounds that much slower without touching the datapath or the daemon.
 */
final class EndToEndRig implements AutoCloseable {
    static final HexFormat HEX = HexFormat.of();

    final OvsDatapath dp;
    final Vswitchd vswitchd;
    final Dpif inspect;
    final Datapath datapath;
    /** The delay every dump request of a revalidator socket waits, ms (0: none). */
    volatile long dumpDelayMs;
    /** Dump requests the revalidator sockets sent (slowed or not). */
    final AtomicLong dumpRequests = new AtomicLong();
    private final PortNames names;

    private EndToEndRig(OvsDatapath dp, InProcessTransport t, Vswitchd.Config cfg) throws IOException {
        this.dp = dp;
        Vswitchd v;
        try {
            v = Vswitchd.start(comm -> {
                InProcessChannel ch = InProcessChannel.open(t, comm);
                return comm.equals("revalidator") ? new SlowDumps(ch) : ch;
            }, cfg);
        } catch (IOException | RuntimeException e) {
            dp.close();
            throw e;
        }
        this.vswitchd = v;
        try {
            this.inspect = Dpif.open(InProcessChannel.open(t, "inspect"));
        } catch (IOException | RuntimeException e) {
            v.close();
            dp.close();
            throw e;
        }
        this.datapath = dp.net().datapath(v.datapathName());
        Map<Integer, String> byNumber = new TreeMap<>();
        v.ports().forEach((name, no) -> byNumber.put(no, name));
        this.names = PortNames.of(byNumber);
    }

    /** A rig with {@code cfg} plus ports p1, p2, p3 (internal), on a 1-thread datapath. */
    static EndToEndRig start(Vswitchd.Config cfg) throws IOException {
        cfg.port("p1", VportType.INTERNAL, null).port("p2", VportType.INTERNAL, null)
                .port("p3", VportType.INTERNAL, null);
        OvsDatapath dp = new OvsDatapath(1, DumpMode.MATCH_CACHE);
        return new EndToEndRig(dp, new InProcessTransport(dp, new PortIds(1)), cfg);
    }

    // ---- traffic ----------------------------------------------------------------------------------

    /**
     * Injects {@code frame} on port {@code port} and waits until the datapath has handled it; counts it
     * in {@link #hitBytes} if it hit a flow. Returns whether it did.
     */
    boolean inject(String port, byte[] frame) {
        long before = hits();
        String err = dp.receiveFrame(port, frame);
        if (err != null) {
            throw new AssertionError("netdev-dummy/receive " + port + ": " + err);
        }
        boolean hit = hits() > before;
        if (hit) {
            hitBytes += frame.length;
        }
        return hit;
    }

    /** Bytes of the injected frames that hit a flow (this rig injects alone, one frame at a time). */
    long hitBytes;

    /** The datapath's own counters: packets that hit a flow, that missed (upcalls), that were lost. */
    long hits() {
        return datapath.nHit();
    }

    long misses() {
        return datapath.nMissed();
    }

    long lost() {
        return datapath.nLost();
    }

    /** An Ethernet II frame carrying IPv4/UDP (or TCP if {@code proto} is 6), 64 bytes or more. */
    static byte[] frame(String dst, String src, String ipSrc, String ipDst, int proto, int sport, int dport) {
        int l4 = proto == 6 ? 20 : 8;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4 + 18);
        b.put(mac(dst)).put(mac(src)).putShort((short) 0x0800);
        int ipLen = 20 + l4 + 18;
        b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(ip(ipSrc)).put(ip(ipDst));
        b.putShort((short) sport).putShort((short) dport);
        if (proto == 6) {
            b.putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x02).putShort((short) 8192).putInt(0);
        } else {
            b.putShort((short) (8 + 18)).putShort((short) 0);
        }
        return b.array();
    }

    /** A UDP frame between two hosts (ports 1000 → 2000). */
    static byte[] udp(String dst, String src, String ipSrc, String ipDst) {
        return frame(dst, src, ipSrc, ipDst, 17, 1000, 2000);
    }

    static byte[] mac(String s) {
        return HEX.parseHex(s.replace(":", ""));
    }

    static byte[] ip(String s) {
        String[] p = s.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(p[i]);
        }
        return b;
    }

    // ---- waiting ----------------------------------------------------------------------------------

    /** Polls {@code cond} every few ms for up to {@code seconds}; fails the test with {@code what}. */
    static void await(String what, long seconds, BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /** Until the handlers have installed {@code n} flows in all (counting from the start). */
    void awaitInstalled(long n) {
        await(n + " flows installed", 10, () -> vswitchd.flowsInstalled() >= n);
    }

    /**
     * Until the handlers have dealt with every upcall the datapath sent: each miss read, and each
     * installed, found a duplicate, refused or left uninstalled by the flow limit.
     */
    void awaitHandlersIdle() {
        await("the handlers done with every upcall", 10, () -> {
            long misses = 0;
            long done = 0;
            for (Handler h : vswitchd.handlers()) {
                misses += h.misses();
                done += h.flowsInstalled() + h.duplicates() + h.installFailures() + h.limitHits();
            }
            return misses == misses() - lost() && done == misses;
        });
    }

    /** {@code revalidator/wait}: until a whole revalidator round has run after the call. */
    void revalidatorWait() throws InterruptedException {
        if (!vswitchd.revalidatorWait(20_000)) {
            throw new AssertionError("no revalidator round within 20 s");
        }
    }

    // ---- the datapath's flows ---------------------------------------------------------------------

    /** One datapath flow as {@code ovs-dpctl dump-flows --names} shows it, with its statistics. */
    record DpFlow(String ufid, String match, String actions, long packets, long bytes) {
    }

    /** Every flow of the datapath (a full dump: keys, masks, actions), in dump order. */
    List<DpFlow> flows() throws IOException {
        List<DpFlow> out = new ArrayList<>();
        synchronized (inspect) {
            try (FlowDump d = inspect.flowDump(vswitchd.dpIfindex(), 0)) {
                for (FlowMessage m = d.next(); m != null; m = d.next()) {
                    String u = m.ufidOffset() >= 0 ? ufidText(m.ufid()) : "";
                    String match = OdpFlowFormat.format(m.buffer(), m.keyOffset(), m.keyLength(), m.buffer(),
                            m.maskOffset(), m.maskLength(), names, false);
                    String actions = OdpActionsFormat.format(m.buffer(), m.actionsOffset(), m.actionsLength(),
                            names);
                    out.add(new DpFlow(u, match, actions, m.packets(), m.bytes()));
                }
            }
        }
        return out;
    }

    /** A UFID as OVS prints it ({@code ufid:xxxxxxxx-...}). */
    static String ufidText(byte[] ufid) {
        StringBuilder b = new StringBuilder();
        OdpUfid.format(b, ufid, 0);
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            vswitchd.close();
        } finally {
            try {
                inspect.close();
            } finally {
                dp.close();
            }
        }
    }

    // ---- slow dumps -------------------------------------------------------------------------------

    /**
     * A revalidator's socket whose dump requests ({@code NLM_F_DUMP} set) wait {@link #dumpDelayMs}
     * before they go out: a datapath that takes that long to start answering a dump.
     */
    private final class SlowDumps implements NetlinkChannel {
        private final NetlinkChannel ch;

        SlowDumps(NetlinkChannel ch) {
            this.ch = ch;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (len >= NlMsgHdr.LENGTH && (NlMsgHdr.flags(buf, off) & NlMsgHdr.F_DUMP) == NlMsgHdr.F_DUMP) {
                dumpRequests.incrementAndGet();
                long delay = dumpDelayMs;
                if (delay > 0) {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while slowing a dump");
                    }
                }
            }
            ch.send(buf, off, len);
        }

        @Override
        public Datagram receive() throws IOException {
            return ch.receive();
        }

        @Override
        public int portId() {
            return ch.portId();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
