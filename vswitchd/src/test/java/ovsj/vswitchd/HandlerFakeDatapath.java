package ovsj.vswitchd;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.PacketCmd;

/**
 * A datapath as far as handlers see it, for the tests: nlctrl family resolution, {@code DP_CMD_GET}
 * (the flow count, or {@link #reportedFlows} if set), {@code FLOW_CMD_NEW} (validated with the
 * datapath's own key parser and action checks; {@code EEXIST} for a UFID or masked key it holds) and
 * {@code PACKET_CMD_EXECUTE} (recorded). Every request that is not nlctrl is logged in {@link #ops}
 * in arrival order. Thread-safe.
 */
final class HandlerFakeDatapath {
    static final int DP_FAMILY = 0x21;
    static final int VPORT_FAMILY = 0x22;
    static final int FLOW_FAMILY = 0x23;
    static final int PACKET_FAMILY = 0x24;
    static final int DP_IFINDEX = 7;

    /** A flow as FLOW_NEW installed it. */
    record Flow(byte[] ufid, byte[] key, byte[] mask, byte[] actions, FlowKey maskedKey, FlowKey maskBits) {
    }

    /** A packet as EXECUTE ran it. */
    record Exec(byte[] packet, byte[] key, byte[] actions) {
    }

    final List<String> ops = new ArrayList<>();
    final List<Flow> flows = new ArrayList<>();
    final List<Exec> execs = new ArrayList<>();
    final List<Integer> datagramsWithNew = new ArrayList<>();
    /** If not negative, what DP_CMD_GET reports as the flow count. */
    volatile long reportedFlows = -1;

    /** A new client socket to this datapath. */
    Channel channel() {
        return new Channel();
    }

    /** A new {@link Dpif} on its own socket. */
    Dpif dpif() throws IOException {
        return Dpif.open(channel());
    }

    synchronized int newFlowCount() {
        return flows.size();
    }

    final class Channel implements NetlinkChannel {
        private final ArrayDeque<byte[]> replies = new ArrayDeque<>();

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] d = Arrays.copyOfRange(buf, off, off + len);
            int news = 0;
            for (int m = 0; d.length - m >= NlMsgHdr.LENGTH; m += NlMsgHdr.align(NlMsgHdr.len(d, m))) {
                List<byte[]> out = new ArrayList<>();
                int type = NlMsgHdr.type(d, m);
                int err = 0;
                if (type >= NlMsgHdr.NLMSG_MIN_TYPE) {
                    if (type == FLOW_FAMILY && GenlMsgHdr.cmd(d, m + NlMsgHdr.LENGTH) == FlowCmd.NEW) {
                        news++;
                    }
                    err = handle(d, m, out);
                }
                replies.addAll(out);
                if (err != 0 || (NlMsgHdr.flags(d, m) & NlMsgHdr.F_ACK) != 0) {
                    NlWriter w = new NlWriter(256);
                    NlMsgErr.putError(w, d, m, -err, null, 99, false);
                    replies.add(w.toByteArray());
                }
            }
            if (news > 0) {
                synchronized (HandlerFakeDatapath.this) {
                    datagramsWithNew.add(news);
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
            return 99;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] reply(byte[] req, int m, int type, java.util.function.Consumer<NlWriter> fill) {
        NlWriter w = new NlWriter(256);
        int s = w.beginMessage(type, 0, NlMsgHdr.seq(req, m), 99);
        fill.accept(w);
        w.endMessage(s);
        return w.toByteArray();
    }

    private int handle(byte[] b, int m, List<byte[]> out) {
        int type = NlMsgHdr.type(b, m);
        int genl = m + NlMsgHdr.LENGTH;
        int cmd = GenlMsgHdr.cmd(b, genl);
        int attrs = genl + GenlMsgHdr.LENGTH;
        int end = m + NlMsgHdr.len(b, m);
        if (type == GenlMsgHdr.GENL_ID_CTRL) {
            NlAttrReader r = new NlAttrReader().wrap(b, attrs, end - attrs);
            String name = "";
            while (r.next()) {
                if (r.type() == 2) {
                    name = r.string();
                }
            }
            int id = switch (name) {
                case "ovs_datapath" -> DP_FAMILY;
                case "ovs_vport" -> VPORT_FAMILY;
                case "ovs_flow" -> FLOW_FAMILY;
                case "ovs_packet" -> PACKET_FAMILY;
                default -> -1;
            };
            if (id < 0) {
                return ovsj.netlink.Errno.ENOENT;
            }
            String n = name;
            out.add(reply(b, m, GenlMsgHdr.GENL_ID_CTRL, w -> {
                w.putGenlHeader(1, 2);
                w.putString(2, n);
                w.putU16(1, id);
            }));
            return 0;
        }
        synchronized (this) {
            int ovsAttrs = attrs + OvsHeader.LENGTH;
            if (type == DP_FAMILY && cmd == DpCmd.GET) {
                ops.add("DP_GET");
                long n = reportedFlows >= 0 ? reportedFlows : flows.size();
                out.add(reply(b, m, DP_FAMILY, w -> {
                    w.putGenlHeader(DpCmd.NEW, 2);
                    w.putRawU32(DP_IFINDEX);
                    w.putString(DpAttr.NAME, "dp0");
                    int p = w.reserve(DpAttr.STATS, 32);
                    Wire.putU64(w.buffer(), p + 24, n);
                }));
                return 0;
            }
            if (type == FLOW_FAMILY && cmd == FlowCmd.NEW) {
                return flowNew(b, ovsAttrs, end);
            }
            if (type == PACKET_FAMILY && cmd == PacketCmd.EXECUTE) {
                byte[] packet = null;
                byte[] key = null;
                byte[] actions = null;
                NlAttrReader r = new NlAttrReader().wrap(b, ovsAttrs, end - ovsAttrs);
                while (r.next()) {
                    switch (r.type()) {
                        case PacketAttr.PACKET -> packet = r.bytes();
                        case PacketAttr.KEY -> key = r.bytes();
                        case PacketAttr.ACTIONS -> actions = r.bytes();
                        default -> {
                        }
                    }
                }
                execs.add(new Exec(packet, key, actions));
                ops.add("EXECUTE " + XlateTestFlows.describe(actions));
                return 0;
            }
            ops.add("unexpected " + type + "/" + cmd);
            return ovsj.netlink.Errno.EOPNOTSUPP;
        }
    }

    private int flowNew(byte[] b, int attrs, int end) {
        byte[] ufid = null;
        int keyAt = -1;
        int maskAt = -1;
        byte[] actions = null;
        NlAttrReader r = new NlAttrReader().wrap(b, attrs, end - attrs);
        while (r.next()) {
            switch (r.type()) {
                case FlowAttr.UFID -> ufid = r.bytes();
                case FlowAttr.KEY -> keyAt = r.offset();
                case FlowAttr.MASK -> maskAt = r.offset();
                case FlowAttr.ACTIONS -> actions = r.bytes();
                default -> {
                }
            }
        }
        FlowKey key = new FlowKey();
        FlowKey mask = new FlowKey();
        StringBuilder log = new StringBuilder();
        if (keyAt < 0 || new KeyParser().parseMatch(b, keyAt, maskAt, key, mask, log::append) != 0) {
            ops.add("NEW refused: " + log);
            return ovsj.netlink.Errno.EINVAL;
        }
        FlowKey masked = new FlowKey();
        masked.mask(key, new FlowMask(mask));
        if (actions == null || ActionCodec.copyActions(actions, 0, actions.length, masked, new NlWriter(512),
                log::append) != 0) {
            ops.add("NEW refused: " + log);
            return ovsj.netlink.Errno.EINVAL;
        }
        for (Flow f : flows) {
            if (Arrays.equals(f.ufid, ufid) || (f.maskBits.equals(mask) && f.maskedKey.equals(masked))) {
                ops.add("NEW EEXIST");
                return ovsj.netlink.Errno.EEXIST;
            }
        }
        byte[] k = attrPayload(b, keyAt);
        byte[] mk = maskAt < 0 ? null : attrPayload(b, maskAt);
        flows.add(new Flow(ufid, k, mk, actions, masked, mask));
        ops.add("NEW " + XlateTestFlows.describe(actions));
        return 0;
    }

    private static byte[] attrPayload(byte[] b, int at) {
        int len = Wire.u16(b, at);
        return Arrays.copyOfRange(b, at + 4, at + len);
    }
}
