package ovsj.cli.dpctl;

import ovsj.netlink.NlWriter;
import ovsj.odp.text.OdpActionsFormat;
import ovsj.odp.text.OdpActionsParse;
import ovsj.odp.text.OdpFlowParse;
import ovsj.odp.text.OdpFlowFormat;
import ovsj.odp.text.OdpParseException;
import ovsj.odp.text.OdpUfid;
import ovsj.odp.text.PortNames;

/** The OVS datapath text syntax as dpctl uses it (the {@code ovsj.odp.text} package). */
final class FlowText {
    private FlowText() {
    }

    /** {@code odp_ufid_from_string}: chars consumed by a {@code ufid:} prefix, 0 if none, -1 if malformed. */
    static int parseUfid(String s, byte[] out16) {
        return OdpUfid.parse(s, out16);
    }

    /** {@code odp_format_ufid} (a UFID of other than 16 bytes prints as hex). */
    static void formatUfid(StringBuilder b, byte[] buf, int off, int len) {
        if (len == 16) {
            OdpUfid.format(b, buf, off);
        } else {
            b.append("ufid:");
            for (int i = 0; i < len; i++) {
                b.append(Character.forDigit((buf[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(buf[off + i] & 0xf, 16));
            }
        }
    }

    /** {@code odp_flow_format}. A mask of null prints the key as exact. */
    static void formatFlow(StringBuilder b, byte[] kb, int ko, int kl, byte[] mb, int mo, int ml, PortNames names,
            boolean verbose) {
        OdpFlowFormat.format(b, kb, ko, kl, mb, mo, ml, names, verbose);
    }

    /** {@code format_odp_actions}. */
    static void formatActions(StringBuilder b, byte[] buf, int off, int len, PortNames names) {
        OdpActionsFormat.format(b, buf, off, len, names);
    }

    /** {@code odp_flow_from_string}: key and mask attributes into the writers. */
    static void parseFlow(String s, PortNames names, NlWriter key, NlWriter mask) throws OdpParseException {
        OdpFlowParse.parse(s, names, key, mask);
    }

    /** {@code odp_actions_from_string}. */
    static void parseActions(String s, NlWriter actions) throws OdpParseException {
        OdpActionsParse.parse(s, null, actions); // ovs-dpctl parses actions without port names
    }
}
