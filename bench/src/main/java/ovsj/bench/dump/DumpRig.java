package ovsj.bench.dump;

import java.util.List;

import ovsj.datapath.Datapath;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.table.DumpCursor;
import ovsj.datapath.table.Flow;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.NlSocket;
import ovsj.datapath.transport.PortIds;
import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;

/**
 * One datapath with {@link Megaflows} installed, driven the way {@code ovs-vswitchd} drives the kernel:
 * only through generic-netlink datagrams on an {@link InProcessTransport} connection. A dump is one
 * {@code OVS_FLOW_CMD_GET | NLM_F_DUMP} request; its cost is everything the datapath does to answer
 * it, including the copy of each batch into the reply datagram (the kernel's copy to user space).
 *
 * <p>Not thread-safe: one thread drives a rig.
 */
public final class DumpRig implements AutoCloseable {
    /** Messages per install datagram (about 200 bytes each). */
    public static final int INSTALL_BATCH = 1024;

    private final OvsDatapath ovs;
    private final InProcessTransport.Connection conn;
    /** The streaming reader's socket: batches are walked as they are sent, nothing is kept. */
    private final NlSocket streamSock;
    private final Tally tally = new Tally();
    private final int flowFamily;
    private final int dpIfindex;
    private final Datapath dp;
    private final byte[][] dumpRequests = new byte[8][];
    private int seq;
    private int flows;

    /**
     * A new datapath {@code name} (OVS_DP_CMD_NEW, family ids as a client resolves them) in
     * {@link DumpMode#SERIALIZE} with stats slots for {@code cpus} forwarding threads.
     */
    public DumpRig(String name, int cpus) {
        ovs = new OvsDatapath(cpus, DumpMode.SERIALIZE, KernelLog.NONE); // no kernel log lines in benchmarks
        PortIds portIds = new PortIds(4000);
        conn = new InProcessTransport(ovs, portIds).open("ovs-vswitchd");
        streamSock = new NlSocket(portIds.next(), tally::walk, "revalidator");
        ovs.opened(streamSock);
        int dpFamily = ovs.genl().family(Families.DATAPATH_FAMILY).id();
        flowFamily = ovs.genl().family(Families.FLOW_FAMILY).id();

        NlWriter w = new NlWriter(256);
        int m = w.beginMessage(dpFamily, NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK | NlMsgHdr.F_ECHO, ++seq, 0);
        w.putGenlHeader(DpCmd.NEW, Families.DATAPATH_VERSION);
        w.putRawU32(0);
        w.putString(DpAttr.NAME, name);
        w.putU32(DpAttr.UPCALL_PID, conn.portId());
        w.putU32(DpAttr.USER_FEATURES, ovsj.odp.uapi.UserFeatures.UNALIGNED);
        w.endMessage(m);
        List<byte[]> replies = conn.request(w.toByteArray());
        byte[] last = replies.get(replies.size() - 1);
        if (NlMsgHdr.type(last, 0) != NlMsgHdr.NLMSG_ERROR || Wire.u32(last, NlMsgHdr.LENGTH) != 0) {
            throw new IllegalStateException("OVS_DP_CMD_NEW " + name + " failed: " + errorOf(last));
        }
        dpIfindex = Wire.u32(replies.get(0), NlMsgHdr.LENGTH + 4); // the echo's ovs_header
        dp = ovs.net().datapath(dpIfindex);
        if (dp == null) {
            throw new IllegalStateException("no datapath with ifindex " + dpIfindex);
        }
    }

    private static String errorOf(byte[] d) {
        return NlMsgHdr.type(d, 0) == NlMsgHdr.NLMSG_ERROR ? "errno " + -Wire.u32(d, NlMsgHdr.LENGTH)
                : "unexpected reply type " + NlMsgHdr.type(d, 0);
    }

    public OvsDatapath ovs() {
        return ovs;
    }

    /** The datapath itself, for what a netlink client cannot see (match-cache bytes, the table). */
    public Datapath datapath() {
        return dp;
    }

    /** Flows installed so far. */
    public int flows() {
        return flows;
    }

    /**
     * Installs megaflows {@code flows() .. flows()+n-1} with NEW requests, {@link #INSTALL_BATCH} per
     * datagram and without NLM_F_ACK (so a clean batch has no reply at all). Throws on the first error.
     *
     * @return the elapsed nanoseconds
     */
    public long install(int n) {
        if ((long) flows + n > Megaflows.MAX_FLOWS) {
            throw new IllegalArgumentException("at most " + Megaflows.MAX_FLOWS + " flows");
        }
        NlWriter w = new NlWriter(INSTALL_BATCH * 256);
        long t0 = System.nanoTime();
        int end = flows + n;
        for (int i = flows; i < end; ) {
            w.reset();
            int stop = Math.min(end, i + INSTALL_BATCH);
            for (; i < stop; i++) {
                Megaflows.putNew(w, flowFamily, dpIfindex, ++seq, i);
            }
            List<byte[]> replies = conn.request(w.buffer(), 0, w.position());
            if (!replies.isEmpty()) {
                throw new IllegalStateException("OVS_FLOW_CMD_NEW failed: " + errorOf(replies.get(0))
                        + " (" + replies.size() + " error replies in a batch of " + INSTALL_BATCH + ")");
            }
        }
        long elapsed = System.nanoTime() - t0;
        flows = end;
        int count = dp.table().count();
        if (count != flows) {
            throw new IllegalStateException("installed " + flows + " flows but the table holds " + count);
        }
        return elapsed;
    }

    /**
     * Gives every flow the stats of one 98-byte packet seen now, so that dumps carry USED and STATS
     * as they do for the live flows a revalidator looks at. (The packet path is not a netlink
     * operation, so this goes through the table, as a forwarding thread would.)
     */
    public void touchAll() {
        long now = System.currentTimeMillis();
        DumpCursor c = new DumpCursor();
        for (Flow f = dp.table().dumpNext(c); f != null; f = dp.table().dumpNext(c)) {
            f.stats().update(0, 98, 0, now);
        }
    }

    /** Switches the datapath's dump mode (leaving match-cache frees every cache). */
    public void dumpMode(DumpMode mode) {
        ovs.setDumpMode(mode);
    }

    /** Drops every match cache: the next match-cache dump is a cold one again. */
    public void clearMatchCaches() {
        DumpMode m = ovs.dumpMode();
        if (m == DumpMode.MATCH_CACHE) {
            ovs.setDumpMode(DumpMode.SERIALIZE);
            ovs.setDumpMode(DumpMode.MATCH_CACHE);
        }
    }

    /** Bytes the match caches hold (the datapath's own count of cached netlink bytes). */
    public long matchCacheBytes() {
        return dp.matchCacheBytes.get();
    }

    /** The {@code OVS_FLOW_CMD_GET | NLM_F_DUMP} request, with {@code OVS_FLOW_ATTR_UFID_FLAGS} if not 0. */
    private byte[] dumpRequest(int ufidFlags) {
        byte[] r = dumpRequests[ufidFlags & 7];
        if (r == null) {
            NlWriter w = new NlWriter(64);
            int m = w.beginMessage(flowFamily, NlMsgHdr.F_REQUEST | NlMsgHdr.F_DUMP, 0, 0);
            w.putGenlHeader(FlowCmd.GET, Families.FLOW_VERSION);
            w.putRawU32(dpIfindex);
            if (ufidFlags != 0) {
                w.putU32(FlowAttr.UFID_FLAGS, ufidFlags);
            }
            w.endMessage(m);
            r = w.toByteArray();
            dumpRequests[ufidFlags & 7] = r;
        }
        return r;
    }

    /**
     * One full flow dump through the in-process transport ({@link Reader#TRANSPORT}): the request
     * returns every reply datagram (copied, kept until the dump ends), then each is walked message by
     * message (lengths and types only), the least a dumping thread must do with them.
     */
    public DumpResult dump(int ufidFlags) {
        return dump(ufidFlags, Reader.TRANSPORT);
    }

    /** One full flow dump, read as {@code reader} says. */
    public DumpResult dump(int ufidFlags, Reader reader) {
        byte[] req = dumpRequest(ufidFlags);
        Wire.putU32(req, NlMsgHdr.SEQ_OFFSET, ++seq);
        tally.reset(flowFamily);
        if (reader == Reader.STREAM) {
            ovs.receive(streamSock, req, 0, req.length);
        } else {
            for (byte[] d : conn.request(req)) {
                tally.walk(d, 0, d.length);
            }
        }
        return new DumpResult(tally.datagrams, tally.messages, tally.bytes, tally.done);
    }

    /** How the benchmark's client takes the reply datagrams of a dump. */
    public enum Reader {
        /**
         * {@link InProcessTransport.Connection#request}: every datagram copied into a list that the
         * request returns at the end of the dump (all of it live at once: 372 MB at 1M full flows).
         */
        TRANSPORT,
        /**
         * A socket whose sink walks each batch in place as the datapath sends it, keeping nothing:
         * the datapath's cost alone, as a revalidator that reads its socket batch by batch sees it.
         */
        STREAM;

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Reader of(String name) {
            for (Reader r : values()) {
                if (r.cliName().equals(name)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown reader '" + name + "' (expected transport or stream)");
        }
    }

    /** Counts what a dump sent: datagrams, flow messages, bytes, and NLMSG_DONE's error. */
    private static final class Tally {
        int flowFamily;
        int datagrams;
        int messages;
        long bytes;
        int done;

        void reset(int family) {
            flowFamily = family;
            datagrams = 0;
            messages = 0;
            bytes = 0;
            done = Integer.MIN_VALUE;
        }

        boolean walk(byte[] d, int from, int len) {
            datagrams++;
            bytes += len;
            int end = from + len;
            for (int off = from; off + NlMsgHdr.LENGTH <= end; ) {
                int mlen = NlMsgHdr.len(d, off);
                int type = NlMsgHdr.type(d, off);
                if (type == flowFamily) {
                    messages++;
                } else if (type == NlMsgHdr.NLMSG_DONE) {
                    done = Wire.u32(d, off + NlMsgHdr.LENGTH);
                } else if (type == NlMsgHdr.NLMSG_ERROR) {
                    done = Wire.u32(d, off + NlMsgHdr.LENGTH + NlMsgErr.ERROR_OFFSET);
                }
                off += NlMsgHdr.align(Math.max(mlen, NlMsgHdr.LENGTH));
            }
            return true;
        }
    }

    @Override
    public void close() {
        conn.close();
        streamSock.close();
        ovs.closed(streamSock);
    }

    /**
     * What one dump returned.
     *
     * @param datagrams reply datagrams, NLMSG_DONE's included
     * @param flows     flow messages
     * @param bytes     bytes of all reply datagrams
     * @param error     NLMSG_DONE's error (0), or Integer.MIN_VALUE if the dump did not end with one
     */
    public record DumpResult(int datagrams, int flows, long bytes, int error) {
        /** Throws unless the dump ended cleanly with {@code expected} flows. */
        public DumpResult check(int expected) {
            if (error != 0) {
                throw new IllegalStateException("dump ended with " + (error == Integer.MIN_VALUE
                        ? "no NLMSG_DONE" : "error " + error));
            }
            if (flows != expected) {
                throw new IllegalStateException("dump returned " + flows + " flows, expected " + expected);
            }
            return this;
        }
    }
}
