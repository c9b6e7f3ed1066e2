package ovsj.datapath.genl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.PortIds;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportCmd;
import ovsj.odp.uapi.VportType;

/** A test client: one in-process netlink socket on a fresh datapath, and request/reply helpers. */
final class FamilyClient {
    static final int ACK = NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK;
    static final int ECHO = ACK | NlMsgHdr.F_ECHO;
    static final int DUMP = NlMsgHdr.F_REQUEST | NlMsgHdr.F_DUMP;

    final OvsDatapath ovs;
    final List<String> klog = Collections.synchronizedList(new ArrayList<>());
    final InProcessTransport.Connection conn;
    private int seq;

    FamilyClient(int cpus) {
        ovs = new OvsDatapath(cpus, DumpMode.SERIALIZE, klog::add);
        conn = new InProcessTransport(ovs, new PortIds(500)).open("test");
    }

    int id(String family) {
        return ovs.genl().family(family).id();
    }

    /** Sends one request; returns the reply datagrams. */
    List<byte[]> datagrams(String family, int cmd, int flags, int dpIfindex, Consumer<NlWriter> attrs) {
        NlWriter w = new NlWriter(256);
        int m = w.beginMessage(id(family), flags, ++seq, 0);
        w.putGenlHeader(cmd, ovs.genl().family(family).version());
        w.putRawU32(dpIfindex);
        attrs.accept(w);
        w.endMessage(m);
        return conn.request(w.toByteArray());
    }

    /** Sends one request; returns every reply message, in order. */
    List<byte[]> send(String family, int cmd, int flags, int dpIfindex, Consumer<NlWriter> attrs) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] d : datagrams(family, cmd, flags, dpIfindex, attrs)) {
            out.addAll(messages(d));
        }
        return out;
    }

    /** The error of the final NLMSG_ERROR of {@code replies} (0 = ACK). */
    static int error(List<byte[]> replies) {
        byte[] last = replies.get(replies.size() - 1);
        if (NlMsgHdr.type(last, 0) != NlMsgHdr.NLMSG_ERROR) {
            throw new AssertionError("no NLMSG_ERROR at the end");
        }
        return Wire.u32(last, 16);
    }

    static List<byte[]> messages(byte[] d) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off + 16 <= d.length; ) {
            int l = Wire.u32(d, off);
            out.add(java.util.Arrays.copyOfRange(d, off, off + l));
            off += (l + 3) & ~3;
        }
        return out;
    }

    /**
     * The dump batching rule: every batch at most {@code DUMP_BATCH_BYTES} and full (the next message
     * would not fit), then NLMSG_DONE alone. Returns every dumped message, in order.
     */
    static List<byte[]> assertFullBatches(List<byte[]> datagrams) {
        int limit = ovsj.datapath.transport.NlSocket.DUMP_BATCH_BYTES;
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < datagrams.size() - 1; i++) {
            byte[] d = datagrams.get(i);
            List<byte[]> ms = messages(d);
            if (d.length > limit || ms.isEmpty() || ms.stream().anyMatch(m -> NlMsgHdr.type(m, 0) < 0x10)) {
                throw new AssertionError("batch " + i + ": " + d.length + " bytes, " + ms.size() + " messages");
            }
            if (i + 2 < datagrams.size() && d.length + ((messages(datagrams.get(i + 1)).get(0).length + 3) & ~3) <= limit) {
                throw new AssertionError("batch " + i + " is not full: " + d.length + " bytes");
            }
            out.addAll(ms);
        }
        byte[] done = datagrams.get(datagrams.size() - 1);
        if (NlMsgHdr.type(done, 0) != NlMsgHdr.NLMSG_DONE || done.length != 20) {
            throw new AssertionError("the dump does not end with NLMSG_DONE alone");
        }
        return out;
    }

    /**
     * {@code buf} as hex with the sequence number of every message in it zeroed: replies to two
     * requests compared byte for byte (each request has its own sequence number).
     */
    static String hexWithoutSeq(byte[] buf) {
        byte[] b = buf.clone();
        for (int off = 0; off + NlMsgHdr.LENGTH <= b.length; off += NlMsgHdr.align(NlMsgHdr.len(b, off))) {
            Wire.putU32(b, off + NlMsgHdr.SEQ_OFFSET, 0);
        }
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Top-level attributes of an ovs family message (after the ovs_header). */
    static Map<Integer, byte[]> attrs(byte[] m) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        for (int off = 24; off + 4 <= m.length; ) {
            int ln = Wire.u16(m, off);
            out.put(Wire.u16(m, off + 2) & 0x3fff, java.util.Arrays.copyOfRange(m, off + 4, off + ln));
            off += (ln + 3) & ~3;
        }
        return out;
    }

    static int u32(byte[] payload) {
        return Wire.u32(payload, 0);
    }

    static String string(byte[] payload) {
        int n = 0;
        while (n < payload.length && payload[n] != 0) {
            n++;
        }
        return new String(payload, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void u32s(NlWriter w, int type, int... values) {
        int p = w.reserve(type, 4 * values.length);
        for (int i = 0; i < values.length; i++) {
            Wire.putU32(w.buffer(), p + 4 * i, values[i]);
        }
    }

    // ---- common requests ------------------------------------------------------------------------

    /** OVS_DP_CMD_NEW with ECHO; returns the new datapath's ifindex (fails the test otherwise). */
    int newDp(String name, int features) {
        List<byte[]> r = send(Families.DATAPATH_FAMILY, DpCmd.NEW, ECHO, 0, w -> {
            w.putString(DpAttr.NAME, name);
            w.putU32(DpAttr.UPCALL_PID, conn.portId());
            w.putU32(DpAttr.USER_FEATURES, features);
        });
        if (error(r) != 0) {
            throw new AssertionError("NEW " + name + ": " + error(r));
        }
        return Wire.u32(r.get(0), 20);
    }

    /** OVS_VPORT_CMD_NEW (internal) with ECHO; returns the replies. */
    List<byte[]> newVport(int dpIfindex, String name, int portNo, int... pids) {
        return send(Families.VPORT_FAMILY, VportCmd.NEW, ECHO, dpIfindex, w -> {
            if (portNo != 0) {
                w.putU32(VportAttr.PORT_NO, portNo);
            }
            w.putU32(VportAttr.TYPE, VportType.INTERNAL);
            w.putString(VportAttr.NAME, name);
            u32s(w, VportAttr.UPCALL_PID, pids);
        });
    }
}
