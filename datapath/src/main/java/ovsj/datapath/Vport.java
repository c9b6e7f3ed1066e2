package ovsj.datapath;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import ovsj.datapath.vport.VportDevice;

/**
 * A datapath port ({@code struct vport}): its number, type, name, the netdev ifindex behind it, the
 * upcall port ids misses on it are sent to (one, or one per CPU), and its counters.
 */
public final class Vport {
    // Counter slots, in ovs_vport_stats order.
    public static final int RX_PACKETS = 0;
    public static final int TX_PACKETS = 1;
    public static final int RX_BYTES = 2;
    public static final int TX_BYTES = 3;
    public static final int RX_ERRORS = 4;
    public static final int TX_ERRORS = 5;
    public static final int RX_DROPPED = 6;
    public static final int TX_DROPPED = 7;

    private final Datapath dp;
    private final int portNo;
    private final int type;
    private final String name;
    private final int ifindex;
    private volatile int[] upcallPids;
    /** The netdev behind the port; taken away (null) once the port is detached and its device closed. */
    private volatile VportDevice device;
    private final AtomicLongArray stats = new AtomicLongArray(8);
    private static final AtomicLong CREATED = new AtomicLong();
    private final long created = CREATED.incrementAndGet();

    public Vport(Datapath dp, int portNo, int type, String name, int ifindex, int[] upcallPids) {
        this(dp, portNo, type, name, ifindex, upcallPids, null);
    }

    public Vport(Datapath dp, int portNo, int type, String name, int ifindex, int[] upcallPids,
                 VportDevice device) {
        this.device = device;
        this.dp = dp;
        this.portNo = portNo;
        this.type = type;
        this.name = name;
        this.ifindex = ifindex;
        this.upcallPids = upcallPids.clone();
    }

    /**
     * Creation order: the kernel chains a datapath's ports newest-first in each of its hash buckets
     * ({@code hlist_add_head_rcu}), which dumps and datapath deletion walk.
     */
    public long created() {
        return created;
    }

    public Datapath datapath() {
        return dp;
    }

    public int portNo() {
        return portNo;
    }

    public int type() {
        return type;
    }

    public String name() {
        return name;
    }

    public int ifindex() {
        return ifindex;
    }

    /** The device behind the port, or null (detached, or none given). */
    public VportDevice device() {
        return device;
    }

    /** Detach: closes the device and forgets it; the fast path then drops what it would send here. */
    public void closeDevice() {
        VportDevice d = device;
        device = null;
        if (d != null) {
            d.close();
        }
    }

    public int[] upcallPids() {
        return upcallPids;
    }

    public void upcallPids(int[] pids) {
        this.upcallPids = pids.clone();
    }

    /** {@code ovs_vport_find_upcall_portid}: the pid for a packet of hash {@code skbHash}. */
    public int upcallPid(int skbHash) {
        int[] p = upcallPids;
        if (p.length == 1) {
            return p[0];
        }
        return p[(int) ((skbHash & 0xffffffffL) * p.length >>> 32)];
    }

    public void count(int slot, long delta) {
        stats.addAndGet(slot, delta);
    }

    public long stat(int slot) {
        return stats.get(slot);
    }
}
