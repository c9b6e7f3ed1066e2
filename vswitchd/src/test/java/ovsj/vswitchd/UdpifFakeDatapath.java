package ovsj.vswitchd;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import ovsj.netlink.Errno;
import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.DpStats;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.FlowStats;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.UfidFlags;

/**
 * A datapath's flow family, faked over netlink for the revalidator tests: flows by UFID (or by key when
 * they have none) with statistics, dumps (terse or full, a few flows per datagram, optionally repeating
 * some flows, optionally costing clock time per flow), GET/DEL (with the final statistics echoed)/SET/NEW,
 * the datapath's flow count, nlctrl family resolution and ACK barriers. Every channel it opens shares
 * the same table; the requests are logged ("DEL ufid terse", "SET ufid", ...).
 */
final class UdpifFakeDatapath {
    static final int DP_IFINDEX = 7;
    static final int DP_FAMILY = 0x20;
    static final int VPORT_FAMILY = 0x21;
    static final int FLOW_FAMILY = 0x22;
    static final int PACKET_FAMILY = 0x23;
    static final int FLOWS_PER_DATAGRAM = 7;

    static final class Flow {
        byte[] ufid;
        byte[] key;
        byte[] mask;
        byte[] actions;
        long packets;
        long bytes;
        long used;
        int tcpFlags;
    }

    private final LongSupplier clock;
    private final Map<String, Flow> flows = new LinkedHashMap<>();
    /** UFIDs (hex) that dumps return twice. */
    final Set<String> dumpTwice = new HashSet<>();
    /** Ms of the test clock each dumped flow costs (see {@link #advance}). */
    volatile long dumpCostMsPerFlow;
    /** Called to advance the test clock by the dump cost; null if the clock is real. */
    volatile java.util.function.LongConsumer advance;
    final List<String> log = new ArrayList<>();
    private final AtomicInteger ports = new AtomicInteger(1000);

    UdpifFakeDatapath(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new client on its own channel. */
    Dpif open() throws IOException {
        return Dpif.open(new Channel(ports.incrementAndGet()));
    }

    static String hex(byte[] b) {
        return b == null ? "-" : HexFormat.of().formatHex(b);
    }

    static byte[] ufid(int i) {
        byte[] b = new byte[16];
        Wire.putU32(b, 0, i);
        b[15] = (byte) 0xa5;
        return b;
    }

    static byte[] key(int i) {
        NlWriter w = new NlWriter(64);
        w.putU32(KeyAttr.IN_PORT, 1);
        w.putU32(KeyAttr.SKB_MARK, i);
        return w.toByteArray();
    }

    static byte[] recircKey(int i) {
        NlWriter w = new NlWriter(64);
        w.putU32(KeyAttr.RECIRC_ID, 9);
        w.putU32(KeyAttr.SKB_MARK, i);
        return w.toByteArray();
    }

    static byte[] mask() {
        NlWriter w = new NlWriter(64);
        w.putU32(KeyAttr.IN_PORT, 0xffffffff);
        w.putU32(KeyAttr.SKB_MARK, 0xffffffff);
        return w.toByteArray();
    }

    static byte[] output(int port) {
        NlWriter w = new NlWriter(16);
        w.putU32(ActionAttr.OUTPUT, port);
        return w.toByteArray();
    }

    private static String id(byte[] ufid, byte[] key) {
        return ufid != null ? hex(ufid) : "key:" + hex(key);
    }

    synchronized Flow add(byte[] ufid, byte[] key, byte[] mask, byte[] actions) {
        Flow f = new Flow();
        f.ufid = ufid;
        f.key = key;
        f.mask = mask;
        f.actions = actions;
        flows.put(id(ufid, key), f);
        return f;
    }

    synchronized Flow flow(byte[] ufid) {
        return flows.get(hex(ufid));
    }

    synchronized void remove(byte[] ufid) {
        flows.remove(hex(ufid));
    }

    synchronized int size() {
        return flows.size();
    }

    /** {@code n} packets of {@code len} bytes hit the flow now; false if there is no such flow. */
    synchronized boolean hit(byte[] ufid, int n, int len) {
        Flow f = flows.get(hex(ufid));
        if (f == null) {
            return false;
        }
        f.packets += n;
        f.bytes += (long) n * len;
        f.used = clock.getAsLong();
        f.tcpFlags |= 0x02;
        return true;
    }

    synchronized List<String> takeLog() {
        List<String> l = new ArrayList<>(log);
        log.clear();
        return l;
    }

    // ---- the server ---------------------------------------------------------------------------------

    private final class Channel implements NetlinkChannel {
        private final int portId;
        private final ArrayDeque<byte[]> replies = new ArrayDeque<>();

        Channel(int portId) {
            this.portId = portId;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            byte[] d = Arrays.copyOfRange(buf, off, off + len);
            for (int m = 0; d.length - m >= NlMsgHdr.LENGTH; m += NlMsgHdr.align(NlMsgHdr.len(d, m))) {
                List<byte[]> out = new ArrayList<>();
                int err = NlMsgHdr.type(d, m) < NlMsgHdr.NLMSG_MIN_TYPE ? 0 : handle(d, m, out);
                replies.addAll(out);
                if (err != 0 || (NlMsgHdr.flags(d, m) & NlMsgHdr.F_ACK) != 0) {
                    NlWriter w = new NlWriter(256);
                    NlMsgErr.putError(w, d, m, -err, null, portId, false);
                    replies.add(w.toByteArray());
                }
            }
        }

        @Override
        public Datagram receive() throws IOException {
            byte[] d = replies.poll();
            if (d == null) {
                throw new EOFException("no reply queued");
            }
            return new Datagram(d, 0, d.length);
        }

        @Override
        public int portId() {
            return portId;
        }

        @Override
        public void close() {
        }

        private int handle(byte[] b, int m, List<byte[]> out) {
            int type = NlMsgHdr.type(b, m);
            int genl = m + NlMsgHdr.LENGTH;
            int cmd = GenlMsgHdr.cmd(b, genl);
            int seq = NlMsgHdr.seq(b, m);
            int end = m + NlMsgHdr.len(b, m);
            if (type == GenlMsgHdr.GENL_ID_CTRL) {
                int attrs = genl + GenlMsgHdr.LENGTH;
                String name = "";
                NlAttrReader r = new NlAttrReader().wrap(b, attrs, end - attrs);
                while (r.next()) {
                    if (r.type() == 2) {
                        name = r.string();
                    }
                }
                int id = switch (name) {
                    case Families.DATAPATH_FAMILY -> DP_FAMILY;
                    case Families.VPORT_FAMILY -> VPORT_FAMILY;
                    case Families.FLOW_FAMILY -> FLOW_FAMILY;
                    case Families.PACKET_FAMILY -> PACKET_FAMILY;
                    default -> -1;
                };
                if (id < 0) {
                    return Errno.ENOENT;
                }
                NlWriter w = new NlWriter(128);
                int s = w.beginMessage(GenlMsgHdr.GENL_ID_CTRL, 0, seq, portId);
                w.putGenlHeader(1, 2);
                w.putU16(1, id);
                w.putString(2, name);
                w.endMessage(s);
                out.add(w.toByteArray());
                return 0;
            }
            int attrs = genl + GenlMsgHdr.LENGTH + OvsHeader.LENGTH;
            NlAttrReader r = new NlAttrReader().wrap(b, attrs, end - attrs);
            byte[] ufid = null;
            byte[] key = null;
            byte[] mask = null;
            byte[] actions = null;
            int ufidFlags = 0;
            while (r.next()) {
                switch (r.type()) {
                    case FlowAttr.UFID -> ufid = r.bytes();
                    case FlowAttr.KEY -> key = r.bytes();
                    case FlowAttr.MASK -> mask = r.bytes();
                    case FlowAttr.ACTIONS -> actions = r.bytes();
                    case FlowAttr.UFID_FLAGS -> ufidFlags = r.u32();
                    default -> {
                    }
                }
            }
            if (type == DP_FAMILY && cmd == DpCmd.GET) {
                NlWriter w = new NlWriter(256);
                int s = w.beginMessage(DP_FAMILY, 0, seq, portId);
                w.putGenlHeader(DpCmd.NEW, Families.DATAPATH_VERSION);
                w.putRawU32(DP_IFINDEX);
                w.putString(DpAttr.NAME, "ovsj");
                byte[] st = new byte[DpStats.LENGTH];
                Wire.putU64(st, DpStats.N_FLOWS_OFFSET, size());
                w.putBytes(DpAttr.STATS, st);
                w.endMessage(s);
                out.add(w.toByteArray());
                return 0;
            }
            if (type != FLOW_FAMILY) {
                return Errno.EOPNOTSUPP;
            }
            boolean dump = (NlMsgHdr.flags(b, m) & NlMsgHdr.F_DUMP) == NlMsgHdr.F_DUMP;
            boolean echo = (NlMsgHdr.flags(b, m) & NlMsgHdr.F_ECHO) != 0;
            String terse = (ufidFlags & UfidFlags.OMIT_KEY) != 0 ? " terse" : "";
            synchronized (UdpifFakeDatapath.this) {
                if (cmd == FlowCmd.GET && dump) {
                    log.add("DUMP" + terse);
                    List<Flow> all = new ArrayList<>();
                    for (Flow f : flows.values()) {
                        all.add(f);
                        if (f.ufid != null && dumpTwice.contains(hex(f.ufid))) {
                            all.add(f);
                        }
                    }
                    NlWriter w = new NlWriter(4096);
                    int inDgram = 0;
                    for (Flow f : all) {
                        putFlow(w, FlowCmd.NEW, NlMsgHdr.F_MULTI, seq, f, ufidFlags);
                        if (++inDgram == FLOWS_PER_DATAGRAM) {
                            out.add(w.toByteArray());
                            w.reset();
                            inDgram = 0;
                        }
                        if (dumpCostMsPerFlow > 0 && advance != null) {
                            advance.accept(dumpCostMsPerFlow);
                        }
                    }
                    NlMsgErr.putDone(w, seq, portId, 0);
                    out.add(w.toByteArray());
                    return 0;
                }
                String id = id(ufid, key);
                Flow f = flows.get(id);
                switch (cmd) {
                    case FlowCmd.GET -> {
                        log.add("GET " + hex(ufid));
                        if (f == null) {
                            return Errno.ENOENT;
                        }
                        out.add(flowMessage(FlowCmd.GET, 0, seq, f, ufidFlags));
                        return 0;
                    }
                    case FlowCmd.DEL -> {
                        log.add("DEL " + (ufid != null ? hex(ufid) : "key") + terse
                                + (key != null && ufid != null ? " +key" : ""));
                        if (f == null) {
                            return Errno.ENOENT;
                        }
                        flows.remove(id);
                        if (echo) {
                            out.add(flowMessage(FlowCmd.DEL, 0, seq, f, ufidFlags));
                        }
                        return 0;
                    }
                    case FlowCmd.SET -> {
                        log.add("SET " + hex(ufid));
                        if (f == null) {
                            return Errno.ENOENT;
                        }
                        if (actions != null) {
                            f.actions = actions;
                        }
                        return 0;
                    }
                    case FlowCmd.NEW -> {
                        log.add("NEW " + hex(ufid));
                        if (f != null) {
                            return Errno.EEXIST;
                        }
                        add(ufid, key, mask, actions == null ? new byte[0] : actions);
                        return 0;
                    }
                    default -> {
                        return Errno.EOPNOTSUPP;
                    }
                }
            }
        }

        private byte[] flowMessage(int cmd, int flags, int seq, Flow f, int ufidFlags) {
            NlWriter w = new NlWriter(512);
            putFlow(w, cmd, flags, seq, f, ufidFlags);
            return w.toByteArray();
        }

        private void putFlow(NlWriter w, int cmd, int flags, int seq, Flow f, int ufidFlags) {
            int s = w.beginMessage(FLOW_FAMILY, flags, seq, portId);
            w.putGenlHeader(cmd, Families.FLOW_VERSION);
            w.putRawU32(DP_IFINDEX);
            boolean hasUfid = f.ufid != null;
            if (hasUfid) {
                w.putBytes(FlowAttr.UFID, f.ufid);
            }
            if (!hasUfid || (ufidFlags & UfidFlags.OMIT_KEY) == 0) {
                w.putBytes(FlowAttr.KEY, f.key);
            }
            if (f.mask != null && (!hasUfid || (ufidFlags & UfidFlags.OMIT_MASK) == 0)) {
                w.putBytes(FlowAttr.MASK, f.mask);
            }
            if (f.packets != 0) {
                byte[] st = new byte[FlowStats.LENGTH];
                Wire.putU64(st, FlowStats.N_PACKETS_OFFSET, f.packets);
                Wire.putU64(st, FlowStats.N_BYTES_OFFSET, f.bytes);
                w.putBytes(FlowAttr.STATS, st);
            }
            if (f.tcpFlags != 0) {
                w.putU8(FlowAttr.TCP_FLAGS, f.tcpFlags);
            }
            if (f.used != 0) {
                w.putU64(FlowAttr.USED, f.used);
            }
            if (!hasUfid || (ufidFlags & UfidFlags.OMIT_ACTIONS) == 0) {
                w.putBytes(FlowAttr.ACTIONS, f.actions);
            }
            w.endMessage(s);
        }
    }
}
