package ovsj.vswitchd;

/**
 * One action of a rule, as {@code ovs-ofctl} writes it. A rule with no actions ({@code actions=drop} or
 * {@code actions=}) drops.
 */
public sealed interface RulesAction {

    /** {@code output:PORT} (or a bare port number): send to datapath port {@code port}. */
    record Output(int port) implements RulesAction {
        @Override
        public String toString() {
            return "output:" + port;
        }
    }

    /** {@code normal}: the L2 learning switch ({@link PipelineNormal}). */
    record Normal() implements RulesAction {
        @Override
        public String toString() {
            return "NORMAL";
        }
    }

    /**
     * {@code mod_dl_src:MAC}, {@code mod_dl_dst:MAC}, {@code mod_nw_src:IP}, {@code mod_nw_dst:IP},
     * {@code mod_tp_src:PORT}, {@code mod_tp_dst:PORT}: rewrite {@code field} to {@code value} for
     * the outputs that follow. IPv4 rewrites apply only to IPv4 packets, port rewrites only to
     * TCP/UDP/SCTP packets that are not later fragments (as OVS ignores them otherwise).
     */
    record SetField(XlateField field, long value) implements RulesAction {
        @Override
        public String toString() {
            return "mod_" + field.ofName() + ":" + RulesParser.formatValue(field, value);
        }
    }
}
