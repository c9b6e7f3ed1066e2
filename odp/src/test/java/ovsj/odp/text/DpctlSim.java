package ovsj.odp.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.KernelLog;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.uapi.FlowAttr;

/**
 * Test helper: {@code ovs-dpctl add-flow} then {@code dump-flows} against ovsj's kernel twin. The text is
 * parsed as ovs-dpctl parses it (UFID, key with the datapath's port names, actions without), the request
 * goes through the twin of the kernel ({@code KeyParser.parseMatch}, masking, {@code ActionCodec.copyActions})
 * and comes back as the kernel replies (UFID flows report the masked key, others the key as given), then is
 * printed in the four dump modes.
 */
final class DpctlSim {
    private DpctlSim() {
    }

    /** Datapath {@code dp0} with internal ports p1, p2, p3. */
    static final PortNames NAMES = PortNames.of(Map.of(0, "dp0", 1, "p1", 2, "p2", 3, "p3"));

    static final String STATS = ", packets:0, bytes:0, used:never";

    /** What one add-flow and the dumps gave: the add's stderr (empty if it worked) and the four dumps. */
    record Result(String stderr, String dump, String dumpM, String dumpNames, String dumpMNoNames) {
        boolean added() {
            return stderr.isEmpty();
        }
    }

    /** A flow as the kernel reports it: its reply attributes. */
    record Reply(byte[] buf, int ufid, int key, int mask, int actions) {
        String line(PortNames names, boolean verbose) {
            StringBuilder sb = new StringBuilder();
            if (verbose && ufid >= 0) {
                OdpUfid.format(sb, buf, ufid + 4);
                sb.append(", ");
            }
            OdpFlowFormat.format(sb, buf, key + 4, NlAttr.len(buf, key) - 4, mask < 0 ? null : buf, mask + 4,
                    mask < 0 ? 0 : NlAttr.len(buf, mask) - 4, names, verbose);
            sb.append(STATS);
            if (verbose) {
                sb.append(", dp:ovs");
            }
            sb.append(", actions:");
            OdpActionsFormat.format(sb, buf, actions + 4, NlAttr.len(buf, actions) - 4, names);
            return sb.append('\n').toString();
        }

        Result result() {
            return new Result("", line(null, false), line(NAMES, true), line(NAMES, false), line(null, true));
        }

        static Reply of(byte[] attrs, int len) {
            return new Reply(attrs, NlAttrReader.find(attrs, 0, len, FlowAttr.UFID),
                    NlAttrReader.find(attrs, 0, len, FlowAttr.KEY), NlAttrReader.find(attrs, 0, len, FlowAttr.MASK),
                    NlAttrReader.find(attrs, 0, len, FlowAttr.ACTIONS));
        }
    }

    static String strerror(int errno) {
        return switch (errno) {
            case 7 -> "Argument list too long";
            case 22 -> "Invalid argument";
            case 27 -> "File too large";
            case 75 -> "Value too large for defined data type";
            case 90 -> "Message too long";
            case 95 -> "Operation not supported";
            default -> "Unknown error " + errno;
        };
    }

    /** {@code ovs-dpctl add-flow dp0 MATCH ACTIONS}, then the dumps. */
    static Result addFlow(String match, String actions) {
        byte[] ufid = new byte[16];
        int n = OdpUfid.parse(match, ufid);
        if (n < 0) {
            return new Result("ovs-dpctl: parsing flow ufid (Invalid argument)\n", null, null, null, null);
        }
        boolean hasUfid = n > 0;
        String keyText = match.substring(n);
        NlWriter key = new NlWriter(256);
        NlWriter mask = new NlWriter(256);
        NlWriter rawKey = new NlWriter(256);
        NlWriter rawMask = new NlWriter(256);
        try {
            OdpFlowParse.parse(keyText, NAMES, key, mask);
            OdpFlowParse.parseUnfiltered(keyText, NAMES, rawKey, rawMask);
        } catch (OdpParseException e) {
            return new Result("ovs-dpctl: parsing flow key (" + e.getMessage() + ") (" + strerror(e.errno()) + ")\n",
                    null, null, null, null);
        }
        NlWriter acts = new NlWriter(256);
        try {
            OdpActionsParse.parse(actions, null, acts);
        } catch (OdpParseException e) {
            return new Result("ovs-dpctl: parsing actions (" + strerror(e.errno()) + ")\n", null, null, null, null);
        }
        int err = kernel(hasUfid ? ufid : null, key, mask, acts, null);
        if (err != 0) {
            StringBuilder warn = new StringBuilder("<time>|00001|dpif|WARN|system@dp0: failed to put[create] (")
                    .append(strerror(-err)).append(") ");
            if (hasUfid) {
                OdpUfid.format(warn, ufid, 0);
                warn.append(' ');
            }
            OdpFlowFormat.format(warn, rawKey.buffer(), 0, rawKey.position(), rawMask.buffer(), 0,
                    rawMask.position(), null, true);
            warn.append(", actions:");
            OdpActionsFormat.format(warn, acts.buffer(), 0, acts.position(), null);
            warn.append("\novs-dpctl: updating flow table (").append(strerror(-err)).append(")\n");
            return new Result(warn.toString(), null, null, null, null);
        }
        NlWriter reply = new NlWriter(512);
        kernel(hasUfid ? ufid : null, key, mask, acts, reply);
        return Reply.of(reply.buffer(), reply.position()).result();
    }

    /**
     * OVS_FLOW_CMD_NEW on the kernel twin: 0 or -errno; on success, if {@code reply} is not null, the
     * reply's UFID, KEY, MASK and ACTIONS attributes are written to it.
     */
    static int kernel(byte[] ufid, NlWriter key, NlWriter mask, NlWriter acts, NlWriter reply) {
        NlWriter req = new NlWriter(512);
        int k = req.beginNest(FlowAttr.KEY);
        req.putRawUnpadded(key.buffer(), 0, key.position());
        req.endNest(k);
        int m = -1;
        if (mask.position() > 0) {
            m = req.beginNest(FlowAttr.MASK);
            req.putRawUnpadded(mask.buffer(), 0, mask.position());
            req.endNest(m);
        }
        return kernel(ufid, req.buffer(), k, m, acts.buffer(), 0, acts.position(), reply);
    }

    /** As above from attributes already in a buffer (KEY at {@code k}, MASK at {@code m} or -1). */
    static int kernel(byte[] ufid, byte[] buf, int k, int m, byte[] acts, int aoff, int alen, NlWriter reply) {
        FlowKey flowKey = new FlowKey();
        FlowKey maskBits = new FlowKey();
        int err = new KeyParser().parseMatch(buf, k, m, flowKey, maskBits, KernelLog.NONE);
        if (err != 0) {
            return err;
        }
        FlowMask flowMask = new FlowMask(maskBits);
        FlowKey masked = new FlowKey();
        masked.mask(flowKey, flowMask);
        NlWriter stored = new NlWriter(256);
        err = ActionCodec.copyActions(acts, aoff, alen, masked, stored, KernelLog.NONE);
        if (err != 0 || reply == null) {
            return err;
        }
        if (ufid != null) {
            reply.putBytes(FlowAttr.UFID, ufid);
        }
        KeyEmitter.putKey(reply, ufid != null ? masked : flowKey);
        KeyEmitter.putMask(reply, masked, flowMask);
        ActionCodec.putActions(reply, stored.buffer(), 0, stored.position());
        return 0;
    }

    // ---- vectors ----------------------------------------------------------------------------------------

    static Path vectors() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("ovsj.vectors");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("../vectors"));
        candidates.add(Path.of("/work/main/vectors"));
        for (Path p : candidates) {
            if (Files.exists(p.resolve("dpctl/dpctl.tsv"))) {
                return p;
            }
        }
        throw new IllegalStateException("no dpctl vectors in " + candidates);
    }

    /** The rows of a vectors TSV, cells unescaped, keyed by the header. */
    static List<Map<String, String>> tsv(String file) {
        try {
            List<String> lines = Files.readAllLines(vectors().resolve(file));
            String[] header = lines.get(0).split("\t", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], i < cells.length ? unescape(cells[i]) : "");
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unescape(String cell) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\\' && i + 1 < cell.length()) {
                char e = cell.charAt(++i);
                sb.append(switch (e) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
