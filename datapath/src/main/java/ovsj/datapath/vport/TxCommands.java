package ovsj.datapath.vport;

import ovsj.datapath.OvsNet;
import ovsj.datapath.Vport;
import ovsj.odp.unixctl.UnixctlServer;
import ovsj.odp.unixctl.UnixctlServer.CommandException;

/**
 * The unixctl commands that show what the datapath sent to internal ports. OVS's netdev-dummy can only
 * inject ({@code netdev-dummy/receive}); these two are ovsj's own, named to sit beside it:
 *
 * <pre>
 * netdev-dummy/tx-list PORT    the frames kept for PORT, oldest first, one per line as lowercase hex
 *                              without blanks (what netdev-dummy/receive accepts); empty reply when none
 * netdev-dummy/tx-clear PORT   forgets them (the counters go on); empty reply
 * </pre>
 *
 * Errors: {@code no such dummy netdev} (netdev-dummy's words) for an unknown port;
 * {@code PORT is not an internal port} for a port of another type (a pcap port writes its file).
 */
public final class TxCommands {
    public static final String TX_LIST = "netdev-dummy/tx-list";
    public static final String TX_CLEAR = "netdev-dummy/tx-clear";
    public static final String USAGE = "PORT";

    private TxCommands() {
    }

    /** Registers both commands on {@code ctl} for the ports of {@code net}. */
    public static void register(UnixctlServer ctl, OvsNet net) {
        ctl.register(TX_LIST, USAGE, 1, 1, args -> txList(net, args[0]));
        ctl.register(TX_CLEAR, USAGE, 1, 1, args -> txClear(net, args[0]));
    }

    /** The {@code netdev-dummy/tx-list PORT} reply. */
    public static String txList(OvsNet net, String port) throws CommandException {
        return InternalDevice.hexLines(device(net, port).transmitted());
    }

    /** The {@code netdev-dummy/tx-clear PORT} reply (""). */
    public static String txClear(OvsNet net, String port) throws CommandException {
        device(net, port).clear();
        return "";
    }

    private static InternalDevice device(OvsNet net, String port) throws CommandException {
        Vport v = net.vport(port);
        if (v == null) {
            throw new CommandException("no such dummy netdev");
        }
        if (!(v.device() instanceof InternalDevice d)) {
            throw new CommandException(port + " is not an internal port");
        }
        return d;
    }
}
