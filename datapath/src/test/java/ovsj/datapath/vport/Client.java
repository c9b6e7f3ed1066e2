package ovsj.datapath.vport;

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

/** A netlink client on a fresh in-process datapath, for the vport family's pcap and internal ports. */
final class Client {
    static final int ACK = NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK;
    static final int ECHO = ACK | NlMsgHdr.F_ECHO;
    static final int DUMP = NlMsgHdr.F_REQUEST | NlMsgHdr.F_DUMP;

    final List<String> klog = Collections.synchronizedList(new ArrayList<>());
    final OvsDatapath ovs = new OvsDatapath(1, DumpMode.SERIALIZE, klog::add);
    final InProcessTransport.Connection conn = new InProcessTransport(ovs, new PortIds(700)).open("vport-test");
    private int seq;

    /** Every reply message to one request. */
    List<byte[]> send(String family, int cmd, int flags, int dpIfindex, Consumer<NlWriter> attrs) {
        NlWriter w = new NlWriter(256);
        int m = w.beginMessage(ovs.genl().family(family).id(), flags, ++seq, 0);
        w.putGenlHeader(cmd, ovs.genl().family(family).version());
        w.putRawU32(dpIfindex);
        attrs.accept(w);
        w.endMessage(m);
        // A pcap port's replay may upcall to this socket while the request runs: replies only.
        int packetFamily = ovs.genl().family(Families.PACKET_FAMILY).id();
        List<byte[]> out = new ArrayList<>();
        for (byte[] d : conn.request(w.toByteArray())) {
            for (int off = 0; off + 16 <= d.length; ) {
                int l = Wire.u32(d, off);
                if (NlMsgHdr.type(d, off) != packetFamily) {
                    out.add(java.util.Arrays.copyOfRange(d, off, off + l));
                }
                off += (l + 3) & ~3;
            }
        }
        return out;
    }

    /** The errno of the final NLMSG_ERROR (0 = ACK). */
    static int error(List<byte[]> replies) {
        byte[] last = replies.get(replies.size() - 1);
        if (NlMsgHdr.type(last, 0) != NlMsgHdr.NLMSG_ERROR) {
            throw new AssertionError("no NLMSG_ERROR at the end");
        }
        return Wire.u32(last, 16);
    }

    /** Attributes of {@code buf[off, off+len)}: type (flags stripped) to payload. */
    static Map<Integer, byte[]> attrs(byte[] b, int off, int len) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        for (int p = off; p + 4 <= off + len; ) {
            int ln = Wire.u16(b, p);
            out.put(Wire.u16(b, p + 2) & 0x3fff, java.util.Arrays.copyOfRange(b, p + 4, p + ln));
            p += (ln + 3) & ~3;
        }
        return out;
    }

    /** Top-level attributes of an ovs family message (after the 4-byte ovs_header). */
    static Map<Integer, byte[]> attrs(byte[] m) {
        return attrs(m, 24, m.length - 24);
    }

    /** The raw type (with flags) of the first attribute of type {@code type} in an ovs family message. */
    static int rawType(byte[] m, int type) {
        for (int p = 24; p + 4 <= m.length; p += (Wire.u16(m, p) + 3) & ~3) {
            if ((Wire.u16(m, p + 2) & 0x3fff) == type) {
                return Wire.u16(m, p + 2);
            }
        }
        return -1;
    }

    static String string(byte[] payload) {
        int n = 0;
        while (n < payload.length && payload[n] != 0) {
            n++;
        }
        return new String(payload, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    int newDp(String name) {
        List<byte[]> r = send(Families.DATAPATH_FAMILY, DpCmd.NEW, ECHO, 0, w -> {
            w.putString(DpAttr.NAME, name);
            w.putU32(DpAttr.UPCALL_PID, conn.portId());
        });
        if (error(r) != 0) {
            throw new AssertionError("NEW " + name + ": " + error(r));
        }
        return Wire.u32(r.get(0), 20);
    }

    List<byte[]> delDp(int dpIfindex) {
        return send(Families.DATAPATH_FAMILY, DpCmd.DEL, ACK, dpIfindex, w -> { });
    }

    /** OVS_VPORT_CMD_NEW with ECHO: a port of {@code type}, {@code options} (null: no OPTIONS) nested. */
    List<byte[]> newVport(int dpIfindex, String name, int type, Consumer<NlWriter> options) {
        return send(Families.VPORT_FAMILY, VportCmd.NEW, ECHO, dpIfindex, w -> {
            w.putU32(VportAttr.TYPE, type);
            w.putString(VportAttr.NAME, name);
            w.putU32(VportAttr.UPCALL_PID, conn.portId());
            if (options != null) {
                int n = w.beginNest(VportAttr.OPTIONS);
                options.accept(w);
                w.endNest(n);
            }
        });
    }

    List<byte[]> vport(int cmd, int flags, int dpIfindex, String name) {
        return send(Families.VPORT_FAMILY, cmd, flags, dpIfindex, w -> w.putString(VportAttr.NAME, name));
    }
}
