package ovsj.datapath.replay;

import java.util.Map;

import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;

/**
 * The volatile-field normalisation of {@code shared/tools/ovsnl.py normalize_reply()} with the two fixes
 * {@code parity.py norm_msg()} adds, ported line for line so that a step passes here exactly when it
 * would pass parity.py. One instance per side: the recording's family ids and portid, or the server's.
 *
 * <ul>
 *   <li>genl family ids become canonical ids by family name (message type, the request echoed in
 *       NLMSG_ERROR, nlctrl's FAMILY_ID); nlctrl multicast group ids become 0;</li>
 *   <li>{@code seq} becomes {@link #SEQ_TOKEN} when it is the step's request seq, {@code pid}
 *       {@link #PID_TOKEN} when it is the socket's portid;</li>
 *   <li>{@code dp_ifindex} in every ovs header, vport and datapath IFINDEX become 0;</li>
 *   <li>u32s equal to the portid in UPCALL_PID, PER_CPU_PIDS and the userspace action's PID become
 *       {@link #PID_TOKEN}; flow USED becomes 0; the low 32 bits of an upcall's HASH become 0;</li>
 *   <li>in NLMSG_ERROR only the echoed request is normalised (its substituted fields, its seq and, for the
 *       four main ovs families, its {@code dp_ifindex}), never the extended-ack TLVs after it.</li>
 * </ul>
 */
final class ReplayNormalizer {
    static final int PID_TOKEN = 0x50494450;
    static final int SEQ_TOKEN = 0x53455121;
    static final int IFINDEX_TOKEN = 0;
    static final int GENL_ID_CTRL = 0x10;

    /** {@code CANON_FAMILY}. */
    static final Map<String, Integer> CANON = Map.of("ovs_datapath", 0x7f01, "ovs_vport", 0x7f02,
            "ovs_flow", 0x7f03, "ovs_packet", 0x7f04, "ovs_meter", 0x7f05, "ovs_ct_limit", 0x7f06);

    // Attribute contexts: only those that lead to a normalised field are walked into.
    private enum Ctx { DP, VPORT, FLOW, PACKET, ACTIONS, USERSPACE, SAMPLE, CPL, DEC_TTL, CTRL, OTHER }

    private final Map<Integer, String> families;
    private final int portid;

    /**
     * @param families genl family id to name, nlctrl (0x10) included
     * @param portid   the socket's netlink portid on this side
     */
    ReplayNormalizer(Map<Integer, String> families, int portid) {
        this.families = families;
        this.portid = portid;
    }

    /** {@code norm_msg}: a copy of {@code m} with the volatile fields replaced. */
    byte[] normalize(byte[] m, String subs, Integer stepSeq) {
        if (m.length < NlMsgHdr.LENGTH) {
            return m.clone();
        }
        int typ = Wire.u16(m, 4);
        int flags = Wire.u16(m, 6);
        byte[] n;
        if (typ == NlMsgHdr.NLMSG_ERROR && m.length >= 36) {
            int end;
            String s;
            if ((flags & NlMsgHdr.F_CAPPED) != 0) {
                end = 36;
                s = "-";
            } else {
                long olen = Integer.toUnsignedLong(Wire.u32(m, 20));
                end = (int) Math.max(36, Math.min(m.length, 20 + olen));
                StringBuilder keep = new StringBuilder();
                if (subs != null && !subs.equals("-")) {
                    for (String tok : subs.split(",")) {
                        int at = tok.lastIndexOf('@');
                        try {
                            if (at >= 0 && Integer.parseInt(tok.substring(at + 1)) + 4 <= olen) {
                                keep.append(keep.isEmpty() ? "" : ",").append(tok);
                            }
                        } catch (NumberFormatException e) {
                            // not a substitution parity.py would apply either
                        }
                    }
                }
                s = keep.isEmpty() ? "-" : keep.toString();
            }
            n = m.clone();
            byte[] head = normalizeReply(java.util.Arrays.copyOf(m, end), s);
            System.arraycopy(head, 0, n, 0, end);
        } else {
            n = normalizeReply(m, subs);
        }
        int seq = Wire.u32(m, 8);
        int pid = Wire.u32(m, 12);
        Wire.putU32(n, 8, stepSeq != null && seq == stepSeq ? SEQ_TOKEN : seq);
        Wire.putU32(n, 12, pid == portid ? PID_TOKEN : pid);
        return n;
    }

    /** {@code normalize_reply}. */
    private byte[] normalizeReply(byte[] msg, String subs) {
        byte[] buf = msg.clone();
        if (buf.length < 16) {
            return buf;
        }
        int typ = Wire.u16(buf, 4);
        Wire.putU32(buf, 8, 0);
        Wire.putU32(buf, 12, 0);
        if (typ == NlMsgHdr.NLMSG_ERROR) {
            if (buf.length >= 36) {
                normalizeRequest(buf, 20, buf.length > 36 ? subs : "-");
                int echoedType = Wire.u16(buf, 24);
                String otyp = families.get(echoedType);
                // ovsnl.py checks the (already canonical) type against the four main families only.
                if (buf.length >= 44 && ((otyp != null && CANON.containsKey(otyp))
                        || (echoedType >= 0x7f01 && echoedType <= 0x7f04))) {
                    Wire.putU32(buf, 40, IFINDEX_TOKEN);
                }
            }
            return buf;
        }
        if (typ < 0x10) {
            return buf;
        }
        String fam = families.get(typ);
        if (fam == null && typ == GENL_ID_CTRL) {
            fam = "nlctrl";
        }
        if (fam != null && CANON.containsKey(fam)) {
            Wire.putU16(buf, 4, CANON.get(fam));
        }
        Ctx ctx;
        int start;
        if (fam != null && isMainOvsFamily(fam)) {
            if (buf.length >= 24) {
                Wire.putU32(buf, 20, IFINDEX_TOKEN);
            }
            ctx = switch (fam) {
                case "ovs_datapath" -> Ctx.DP;
                case "ovs_vport" -> Ctx.VPORT;
                case "ovs_flow" -> Ctx.FLOW;
                default -> Ctx.PACKET;
            };
            start = 24;
        } else if ("nlctrl".equals(fam)) {
            ctx = Ctx.CTRL;
            start = 20;
        } else {
            return buf;
        }
        walk(buf, start, buf.length, ctx);
        if (ctx == Ctx.CTRL) {
            zeroMcastGroupIds(buf);
        }
        return buf;
    }

    static boolean isMainOvsFamily(String fam) {
        return fam.equals("ovs_datapath") || fam.equals("ovs_vport") || fam.equals("ovs_flow")
                || fam.equals("ovs_packet");
    }

    /** {@code normalize_request} at {@code base}: family id, seq, substituted fields. */
    private void normalizeRequest(byte[] buf, int base, String subs) {
        if (base + 16 > buf.length) {
            return;
        }
        String fam = families.get(Wire.u16(buf, base + 4));
        if (fam != null && CANON.containsKey(fam)) {
            Wire.putU16(buf, base + 4, CANON.get(fam));
        }
        Wire.putU32(buf, base + 8, 0);
        if (subs != null && !subs.equals("-")) {
            for (String s : subs.split(",")) {
                int at = s.lastIndexOf('@');
                int o = base + Integer.parseInt(s.substring(at + 1));
                if (o + 4 <= buf.length) {
                    Wire.putU32(buf, o, s.substring(0, at).equals("pid") ? PID_TOKEN : IFINDEX_TOKEN);
                }
            }
        }
    }

    /** {@code _walk}: stops at the first malformed attribute, as ovsnl.py does. */
    private void walk(byte[] buf, int off, int end, Ctx ctx) {
        while (off + 4 <= end) {
            int ln = Wire.u16(buf, off);
            int typ = Wire.u16(buf, off + 2) & 0x3fff;
            if (ln < 4 || off + ln > end) {
                return;
            }
            hook(buf, ctx, typ, off + 4, ln - 4);
            Ctx sub = nested(ctx, typ);
            if (sub != null) {
                walk(buf, off + 4, off + ln, sub);
            }
            off += (ln + 3) & ~3;
        }
    }

    /** The nests of {@code ovsnl.CONTEXTS} that can hold a normalised field. */
    private static Ctx nested(Ctx ctx, int typ) {
        return switch (ctx) {
            case FLOW -> typ == 2 ? Ctx.ACTIONS : null;
            case PACKET -> typ == 3 ? Ctx.ACTIONS : null;
            case ACTIONS -> switch (typ) {
                case 2 -> Ctx.USERSPACE;
                case 6 -> Ctx.SAMPLE;
                case 20 -> Ctx.ACTIONS;
                case 21 -> Ctx.CPL;
                case 23 -> Ctx.DEC_TTL;
                default -> null;
            };
            case SAMPLE -> typ == 2 ? Ctx.ACTIONS : null;
            case CPL -> typ == 2 || typ == 3 ? Ctx.ACTIONS : null;
            case DEC_TTL -> typ == 1 ? Ctx.ACTIONS : null;
            default -> null;
        };
    }

    private void hook(byte[] buf, Ctx ctx, int typ, int poff, int plen) {
        boolean pids = (ctx == Ctx.VPORT && typ == 5) || (ctx == Ctx.DP && (typ == 8 || typ == 2))
                || (ctx == Ctx.USERSPACE && typ == 1);
        if ((ctx == Ctx.VPORT || ctx == Ctx.DP) && typ == (ctx == Ctx.VPORT ? 8 : 9) && plen == 4) {
            Wire.putU32(buf, poff, IFINDEX_TOKEN); // vport / datapath IFINDEX
        } else if (pids) {
            for (int o = poff; o < poff + plen - 3; o += 4) {
                if (Wire.u32(buf, o) == portid) {
                    Wire.putU32(buf, o, PID_TOKEN);
                }
            }
        } else if (ctx == Ctx.FLOW && typ == 5 && plen == 8) {
            Wire.putU64(buf, poff, 0); // USED
        } else if (ctx == Ctx.PACKET && typ == 11 && plen == 8) {
            Wire.putU64(buf, poff, Wire.u64(buf, poff) & ~0xffffffffL); // HASH: keep the flag bits
        } else if (ctx == Ctx.CTRL && typ == 1 && plen >= 2) {
            String n = families.get(Wire.u16(buf, poff));
            if (n != null && CANON.containsKey(n)) {
                Wire.putU16(buf, poff, CANON.get(n));
            }
        }
    }

    /** CTRL_ATTR_MCAST_GROUPS: a nest of nests of {NAME, ID}; every ID becomes 0. */
    private static void zeroMcastGroupIds(byte[] buf) {
        int off = 20;
        while (off + 4 <= buf.length) {
            int ln = Wire.u16(buf, off);
            int t = Wire.u16(buf, off + 2);
            if (ln < 4) {
                break;
            }
            if ((t & 0x3fff) == 7) {
                int o2 = off + 4;
                int end2 = Math.min(off + ln, buf.length);
                while (o2 + 4 <= end2) {
                    int l2 = Wire.u16(buf, o2);
                    if (l2 < 4) {
                        break;
                    }
                    int o3 = o2 + 4;
                    int end3 = Math.min(o2 + l2, end2);
                    while (o3 + 4 <= end3) {
                        int l3 = Wire.u16(buf, o3);
                        int t3 = Wire.u16(buf, o3 + 2);
                        if (l3 < 4) {
                            break;
                        }
                        if ((t3 & 0x3fff) == 2 && l3 == 8) {
                            Wire.putU32(buf, o3 + 4, 0);
                        }
                        o3 += (l3 + 3) & ~3;
                    }
                    o2 += (l2 + 3) & ~3;
                }
            }
            off += (ln + 3) & ~3;
        }
    }
}
