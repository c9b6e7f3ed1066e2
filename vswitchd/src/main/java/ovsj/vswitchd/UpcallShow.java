package ovsj.vswitchd;

import java.util.List;

/**
 * The text of {@code ovs-appctl upcall/show} ({@code upcall_unixctl_show} in
 * {@code ofproto-dpif-upcall.c}), one block per datapath:
 * <pre>
 * system@ovs-system:
 *   flows         : (current 200000) (avg 195351) (max 200000) (limit 220000)
 *   dump duration : 90ms
 *   ufid enabled : true
 *
 *   7: (keys 200000)
 * </pre>
 * with a line per revalidator: its thread id and the number of ukeys in its slice of the shards.
 */
public final class UpcallShow {
    private UpcallShow() {
    }

    /** The block of one datapath. */
    public static String format(Udpif u) {
        StringBuilder sb = new StringBuilder();
        append(sb, u);
        return sb.toString();
    }

    /** The blocks of several datapaths, in order (the reply to {@code upcall/show}). */
    public static String format(List<Udpif> udpifs) {
        StringBuilder sb = new StringBuilder();
        for (Udpif u : udpifs) {
            append(sb, u);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Udpif u) {
        long current = u.nFlows();
        sb.append(u.name()).append(":\n");
        sb.append("  flows         : (current ").append(current).append(") (avg ").append(u.avgNFlows())
                .append(") (max ").append(u.maxNFlows()).append(") (limit ").append(u.flowLimit())
                .append(")\n");
        sb.append("  dump duration : ").append(u.dumpDuration()).append("ms\n");
        sb.append("  ufid enabled : ").append(u.enableUfid() ? "true" : "false").append('\n');
        sb.append('\n');
        long[] ids = u.revalidatorIds();
        int n = u.nRevalidators();
        for (int i = 0; i < n; i++) {
            long id = ids[i] != 0 ? ids[i] : i;
            sb.append("  ").append(id).append(": (keys ").append(u.ukeys().sliceSize(i, n)).append(")\n");
        }
    }
}
