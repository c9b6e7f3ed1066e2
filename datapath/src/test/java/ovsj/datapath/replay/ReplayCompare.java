package ovsj.datapath.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ovsj.netlink.Errno;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.PacketCmd;
import ovsj.odp.uapi.VportCmd;

/**
 * How {@code parity.py} compares one step once both sides are normalised: splitting datagrams into
 * messages, exact sequences, multisets (flow dumps), the dump batching rule; and the difference texts
 * (which message, which byte, both hex contexts).
 */
final class ReplayCompare {
    /** {@code SKB_WITH_OVERHEAD(32768)}: the most a dump batch may hold. */
    static final int DUMP_BATCH_LIMIT = 32448;
    /** How many bytes of hex context each side of a difference. */
    private static final int CONTEXT = 16;
    private static final HexFormat HEX = HexFormat.of();

    private static final Map<Integer, String> CANON_NAMES = new HashMap<>();

    static {
        ReplayNormalizer.CANON.forEach((name, id) -> CANON_NAMES.put(id, name));
        CANON_NAMES.put(ReplayNormalizer.GENL_ID_CTRL, "nlctrl");
    }

    private ReplayCompare() {
    }

    /** One datagram: its length, the whole messages in it, and what is wrong with the rest (or null). */
    record Frame(int len, List<byte[]> msgs, String problem) {
    }

    /** {@code split_frame}: the messages of one datagram. */
    static Frame split(byte[] d) {
        List<byte[]> msgs = new ArrayList<>();
        int off = 0;
        String problem = null;
        while (off < d.length) {
            if (d.length - off < NlMsgHdr.LENGTH) {
                problem = (d.length - off) + " trailing bytes after the last message";
                break;
            }
            long l = Integer.toUnsignedLong(Wire.u32(d, off));
            if (l < NlMsgHdr.LENGTH || off + l > d.length) {
                problem = "message at byte " + off + " has nlmsg_len " + l + " in a datagram of " + d.length;
                break;
            }
            msgs.add(java.util.Arrays.copyOfRange(d, off, (int) (off + l)));
            off += (int) ((l + 3) & ~3);
        }
        return new Frame(d.length, msgs, problem);
    }

    static int type(byte[] m) {
        return m.length >= 6 ? Wire.u16(m, 4) : -1;
    }

    static boolean isFinal(byte[] m) {
        int t = type(m);
        return t == NlMsgHdr.NLMSG_DONE || t == NlMsgHdr.NLMSG_ERROR;
    }

    /** {@code attrs_of}: top-level attribute types and payloads (first wins). */
    static Map<Integer, byte[]> attrs(byte[] m, boolean ovsFamily) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int off = ovsFamily ? 24 : 20;
        while (off + 4 <= m.length) {
            int ln = Wire.u16(m, off);
            if (ln < 4 || off + ln > m.length) {
                break;
            }
            out.putIfAbsent(Wire.u16(m, off + 2) & 0x3fff, java.util.Arrays.copyOfRange(m, off + 4, off + ln));
            off += (ln + 3) & ~3;
        }
        return out;
    }

    /**
     * {@code check_batching}: every batch holds whole messages, at most {@link #DUMP_BATCH_LIMIT} bytes,
     * and is full unless the next message would not fit (or is a flow sent without ACTIONS because it is
     * too big alone); the final NLMSG_DONE/NLMSG_ERROR is alone and last.
     */
    static List<String> batching(List<Frame> frames, boolean omitActions, java.util.function.Predicate<byte[]> noActions) {
        List<String> v = new ArrayList<>();
        int fi = -1;
        for (int i = 0; i < frames.size() && fi < 0; i++) {
            for (byte[] m : frames.get(i).msgs()) {
                if (isFinal(m)) {
                    fi = i;
                    break;
                }
            }
        }
        List<Frame> data = frames;
        if (fi < 0) {
            v.add("no NLMSG_DONE / NLMSG_ERROR ended the dump");
        } else {
            if (frames.get(fi).msgs().size() != 1) {
                v.add("NLMSG_DONE is not alone in its datagram (datagram " + (fi + 1) + " of " + frames.size()
                        + " has " + frames.get(fi).msgs().size() + " messages)");
            }
            if (fi != frames.size() - 1) {
                v.add((frames.size() - 1 - fi) + " datagram(s) after the one carrying NLMSG_DONE");
            }
            data = frames.subList(0, fi);
        }
        java.util.function.Predicate<byte[]> shrunk = m -> !omitActions && noActions.test(m);
        for (int i = 0; i < data.size(); i++) {
            Frame f = data.get(i);
            String tag = "datagram " + (i + 1) + " of " + frames.size();
            if (f.problem() != null) {
                v.add(tag + " does not hold whole messages: " + f.problem());
            }
            if (f.len() > DUMP_BATCH_LIMIT) {
                v.add(tag + " is " + f.len() + " bytes > batch limit " + DUMP_BATCH_LIMIT);
            }
            if (f.msgs().isEmpty()) {
                v.add(tag + " is empty");
                continue;
            }
            for (int j = 1; j < f.msgs().size(); j++) {
                if (shrunk.test(f.msgs().get(j))) {
                    v.add(tag + ": flow sent without ACTIONS (too big for a batch) is message " + (j + 1)
                            + ", not first");
                    break;
                }
            }
            if (i + 1 < data.size() && !data.get(i + 1).msgs().isEmpty()) {
                byte[] nxt = data.get(i + 1).msgs().get(0);
                if (!shrunk.test(nxt) && f.len() + ((nxt.length + 3) & ~3) <= DUMP_BATCH_LIMIT) {
                    v.add(tag + " not full: " + f.len() + " bytes + next message " + nxt.length + " bytes <= "
                            + DUMP_BATCH_LIMIT);
                }
            }
        }
        return v;
    }

    /** Exact sequence comparison; null when equal, else what differs. */
    static String sequence(List<byte[]> en, List<byte[]> an, String what) {
        int n = Math.min(en.size(), an.size());
        for (int i = 0; i < n; i++) {
            if (!java.util.Arrays.equals(en.get(i), an.get(i))) {
                String head = en.size() != an.size()
                        ? "expected " + en.size() + " " + what + "(s), got " + an.size() + "; " : "";
                return head + what + " " + (i + 1) + "/" + en.size() + ": " + explain(en.get(i), an.get(i));
            }
        }
        if (en.size() == an.size()) {
            return null;
        }
        if (en.size() > an.size()) {
            return "expected " + en.size() + " " + what + "(s), got " + an.size() + ": missing "
                    + labels(en.subList(n, en.size()));
        }
        return "expected " + en.size() + " " + what + "(s), got " + an.size() + ": unexpected "
                + labels(an.subList(n, an.size()));
    }

    /** Multiset comparison (flow dumps: the kernel's order is random per boot); null when equal. */
    static String multiset(List<byte[]> en, List<byte[]> an) {
        Map<String, Integer> count = new HashMap<>();
        for (byte[] e : en) {
            count.merge(HEX.formatHex(e), 1, Integer::sum);
        }
        List<byte[]> extra = new ArrayList<>();
        for (byte[] a : an) {
            String k = HEX.formatHex(a);
            Integer c = count.get(k);
            if (c == null || c == 0) {
                extra.add(a);
            } else {
                count.put(k, c - 1);
            }
        }
        List<byte[]> missing = new ArrayList<>();
        for (byte[] e : en) {
            String k = HEX.formatHex(e);
            Integer c = count.get(k);
            if (c != null && c > 0) {
                missing.add(e);
                count.put(k, c - 1);
            }
        }
        if (missing.isEmpty() && extra.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("dump content differs: " + missing.size() + " of " + en.size()
                + " expected message(s) not matched, " + extra.size() + " unexpected");
        // Pair a missing message with an unexpected one of the same identity (first attribute).
        for (byte[] m : missing) {
            for (byte[] a : extra) {
                if (java.util.Arrays.equals(firstAttr(m), firstAttr(a))) {
                    return sb.append("; e.g. ").append(explain(m, a)).toString();
                }
            }
        }
        if (!missing.isEmpty()) {
            sb.append("; e.g. missing ").append(label(missing.get(0)));
        } else {
            sb.append("; e.g. unexpected ").append(label(extra.get(0)));
        }
        return sb.toString();
    }

    private static byte[] firstAttr(byte[] m) {
        if (m.length < 28) {
            return new byte[0];
        }
        int ln = Wire.u16(m, 24);
        return java.util.Arrays.copyOfRange(m, 24, Math.min(m.length, 24 + Math.max(ln, 4)));
    }

    /** How normalised message {@code a} differs from {@code e}: labels, or the first byte with hex. */
    static String explain(byte[] e, byte[] a) {
        String le = label(e);
        String la = label(a);
        if (!le.equals(la)) {
            return "expected " + le + ", got " + la + hexContext(e, a, firstDiff(e, a));
        }
        // nlmsg_len differs whenever the lengths do: point at the first difference after it instead.
        int off = firstDiff(e, a, 4);
        String s = le + " differs at byte " + off + " (" + where(e, off) + ")";
        if (e.length != a.length) {
            s += ", length " + e.length + " vs " + a.length;
        }
        return s + hexContext(e, a, off);
    }

    static int firstDiff(byte[] a, byte[] b) {
        return firstDiff(a, b, 0);
    }

    /**
     * The first byte from {@code from} on where {@code a} and {@code b} differ; if none, the shorter
     * length when the lengths differ, else the first difference before {@code from}.
     */
    static int firstDiff(byte[] a, byte[] b, int from) {
        int n = Math.min(a.length, b.length);
        for (int i = from; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        if (a.length != b.length || from == 0) {
            return n;
        }
        return firstDiff(a, b, 0);
    }

    private static String hexContext(byte[] e, byte[] a, int off) {
        int s = Math.max(0, off - CONTEXT);
        return "\n    expected[" + s + ":" + Math.min(e.length, off + CONTEXT) + "] "
                + HEX.formatHex(e, s, Math.min(e.length, off + CONTEXT))
                + "\n    actual  [" + s + ":" + Math.min(a.length, off + CONTEXT) + "] "
                + HEX.formatHex(a, s, Math.min(a.length, off + CONTEXT));
    }

    /** The header field or top-level attribute (type and offset inside it) byte {@code off} is in. */
    private static String where(byte[] n, int off) {
        String[] hdr = {"nlmsg_len", "nlmsg_len", "nlmsg_len", "nlmsg_len", "nlmsg_type", "nlmsg_type",
            "nlmsg_flags", "nlmsg_flags", "nlmsg_seq", "nlmsg_seq", "nlmsg_seq", "nlmsg_seq", "nlmsg_pid",
            "nlmsg_pid", "nlmsg_pid", "nlmsg_pid"};
        if (off >= n.length) {
            return "message ends here: lengths differ";
        }
        if (off < 16) {
            return hdr[off];
        }
        int t = type(n);
        if (t == NlMsgHdr.NLMSG_ERROR || t == NlMsgHdr.NLMSG_DONE) {
            if (off < 20) {
                return "error code";
            }
            if (t == NlMsgHdr.NLMSG_ERROR) {
                int olen = n.length >= 24 ? Wire.u32(n, 20) : 16;
                int echoEnd = (Wire.u16(n, 6) & NlMsgHdr.F_CAPPED) != 0 ? 36 : 20 + ((olen + 3) & ~3);
                if (off < echoEnd) {
                    return "echoed request +" + (off - 20);
                }
                return "ext_ack " + attrAt(n, echoEnd, off);
            }
            return "ext_ack " + attrAt(n, 20, off);
        }
        if (off < 20) {
            return "genl header";
        }
        boolean ovs = CANON_NAMES.containsKey(t) && t != ReplayNormalizer.GENL_ID_CTRL;
        if (ovs && off < 24) {
            return "ovs_header.dp_ifindex";
        }
        return "attribute " + attrAt(n, ovs ? 24 : 20, off);
    }

    private static String attrAt(byte[] n, int start, int off) {
        int p = start;
        while (p + 4 <= n.length) {
            int ln = Wire.u16(n, p);
            if (ln < 4) {
                break;
            }
            if (off < p + ((ln + 3) & ~3)) {
                return "type " + (Wire.u16(n, p + 2) & 0x3fff) + (off < p + 4 ? " header" : " +" + (off - p - 4));
            }
            p += (ln + 3) & ~3;
        }
        return "after the last attribute";
    }

    /** A short name for a normalised message: ACK, NLMSG_ERROR EINVAL(-22), NLMSG_DONE(0), OVS_DP_CMD_NEW... */
    static String label(byte[] n) {
        if (n.length < 16) {
            return "malformed(" + n.length + " bytes)";
        }
        int t = type(n);
        if (t == NlMsgHdr.NLMSG_ERROR) {
            if (n.length < 20) {
                return "NLMSG_ERROR(short)";
            }
            int e = Wire.u32(n, 16);
            String s = e == 0 ? "ACK" : "NLMSG_ERROR " + Errno.name(-e) + "(" + e + ")";
            return (Wire.u16(n, 6) & NlMsgHdr.F_ACK_TLVS) != 0 ? s + "+ext_ack" : s;
        }
        if (t == NlMsgHdr.NLMSG_DONE) {
            return n.length >= 20 ? "NLMSG_DONE(" + Wire.u32(n, 16) + ")" : "NLMSG_DONE(short)";
        }
        String fam = CANON_NAMES.get(t);
        if (fam == null) {
            return "type 0x" + Integer.toHexString(t);
        }
        if (n.length < 17) {
            return fam + "(short)";
        }
        int cmd = n[16] & 0xff;
        return switch (fam) {
            case "ovs_datapath" -> DpCmd.name(cmd);
            case "ovs_vport" -> VportCmd.name(cmd);
            case "ovs_flow" -> FlowCmd.name(cmd);
            case "ovs_packet" -> PacketCmd.name(cmd) + (cmd == 1 || cmd == 2 ? " (upcall)" : "");
            default -> fam + " cmd " + cmd;
        };
    }

    static String labels(List<byte[]> ms) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ms.size() && i < 4; i++) {
            out.add(label(ms.get(i)));
        }
        return String.join(", ", out) + (ms.size() > 4 ? " (+" + (ms.size() - 4) + " more)" : "");
    }
}
