package ovsj.vswitchd;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code normal} pipeline: an L2 learning switch, the twin of OVS's {@code xlate_normal} on a
 * bridge whose ports are all VLAN trunks (frames keep their tag; no access ports, bonds, mirrors or
 * multicast snooping).
 *
 * <p>Per packet: drop if the input port is not a bridge port, if the frame has a partial VLAN header,
 * or if the destination is a reserved multicast address ({@code 01:80:c2:00:00:0X}, as OVS without
 * {@code forward-bpdu}); learn (source MAC, VLAN) → input port; then forward to the port the
 * destination was learned on (drop if that is the input port), or flood to every other port if the
 * destination is multicast or unknown.
 *
 * <p>Megaflow (as OVS): {@code in_port}, {@code recirc_id}, {@code dl_type} (and the IP fragment type)
 * exact, as every translation has them; {@code dl_src} and {@code dl_dst} exact (the source because
 * learning must see every new source); the VLAN id and the tag-present bit of the TCI; everything else
 * (PCP, L3, L4) wildcarded.
 *
 * <p>The {@link #revision()} moves with the MAC table (learned, moved, aged out) and the port set.
 */
public final class PipelineNormal implements Pipeline {
    private static final int ETH_P_8021Q = 0x8100;
    private static final int ETH_P_8021AD = 0x88a8;

    private final MacLearning ml;
    private final AtomicLong revision = new AtomicLong();
    private volatile Runnable listener = () -> { };
    private volatile int[] ports = new int[0];
    private final AtomicLong flooded = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** A switch with a fresh MAC table of the default aging time. */
    public PipelineNormal() {
        this(new MacLearning());
    }

    public PipelineNormal(MacLearning ml) {
        this.ml = ml;
        ml.onChange(this::changed);
    }

    private void changed() {
        revision.incrementAndGet();
        listener.run();
    }

    @Override
    public String name() {
        return "normal";
    }

    @Override
    public long revision() {
        return revision.get();
    }

    @Override
    public void onChange(Runnable r) {
        this.listener = r == null ? () -> { } : r;
    }

    @Override
    public void setPorts(int... newPorts) {
        int[] p = newPorts.clone();
        Arrays.sort(p);
        int[] old = ports;
        ports = p;
        if (!Arrays.equals(old, p)) {
            for (int q : old) {
                if (Arrays.binarySearch(p, q) < 0) {
                    ml.flushPort(q);
                }
            }
            changed();
        }
    }

    /** The bridge's ports, ascending. */
    public int[] ports() {
        return ports.clone();
    }

    @Override
    public MacLearning macLearning() {
        return ml;
    }

    @Override
    public void run(long nowMs) {
        ml.run(nowMs);
    }

    @Override
    public void translate(Xlate x) {
        xlateNormal(x);
    }

    /** Packets flooded, forwarded to a learned port, dropped (translations, not datapath packets). */
    public long floodedCount() {
        return flooded.get();
    }

    public long forwardedCount() {
        return forwarded.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    private boolean isPort(int[] p, int port) {
        return Arrays.binarySearch(p, port) >= 0;
    }

    /** {@code 01:80:c2:00:00:00} to {@code 01:80:c2:00:00:0f} ({@code eth_addr_is_reserved}'s range). */
    static boolean isReserved(long mac) {
        return (mac & ~0xfL) == 0x0180_c200_0000L;
    }

    /** {@code xlate_normal}: also the {@code NORMAL} action of the rules pipeline. */
    public void xlateNormal(Xlate x) {
        x.usedNormal();
        long dst = x.read(XlateField.DL_DST);
        long src = x.read(XlateField.DL_SRC);
        x.unwildcard(XlateField.VLAN_TCI, XlateField.VLAN_VID_MASK | XlateField.VLAN_CFI);
        int tci = (int) x.peek(XlateField.VLAN_TCI);
        int[] p = ports;
        int inPort = x.inPort();
        if (!isPort(p, inPort)) {
            dropped.incrementAndGet(); // "no input bundle, dropping"
            return;
        }
        int dlType = (int) x.read(XlateField.DL_TYPE);
        if ((dlType == ETH_P_8021Q || dlType == ETH_P_8021AD) && (tci & XlateField.VLAN_CFI) == 0) {
            dropped.incrementAndGet(); // "dropping packet with partial VLAN tag"
            return;
        }
        int vlan = tci & XlateField.VLAN_VID_MASK;
        if (isReserved(dst)) {
            dropped.incrementAndGet(); // "packet has reserved destination MAC, dropping"
            return;
        }
        if (x.mayLearn()) {
            ml.learn(src, vlan, inPort, x.nowMs());
        }
        int out = MacLearning.isMulticast(dst) ? -1 : ml.lookup(dst, vlan, x.nowMs());
        if (out < 0) {
            flooded.incrementAndGet(); // "no learned MAC for destination, flooding"
            for (int q : p) {
                x.output(q); // skips the input port
            }
        } else if (out == inPort || !isPort(p, out)) {
            dropped.incrementAndGet(); // "learned port is input port" / "learned port is unknown"
        } else {
            forwarded.incrementAndGet(); // "forwarding to learned port"
            x.output(out);
        }
    }

    /**
     * {@code xlate_mac_learning_update} from pushed statistics: the flow's packets came in once more, so
     * their source is (re-)learned on the input port, which restarts its aging.
     */
    @Override
    public void pushStats(Megaflow flow, long packets, long nowMs) {
        if (packets > 0 && isPort(ports, flow.inPort())) {
            ml.learn(flow.dlSrc(), flow.vlan(), flow.inPort(), nowMs);
        }
    }
}
