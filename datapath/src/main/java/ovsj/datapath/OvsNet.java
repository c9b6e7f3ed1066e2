package ovsj.datapath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The network namespace's view ({@code struct ovs_net} plus the netdev namespace): datapaths by name
 * and ifindex, the netdevs (a datapath's local port and every internal port is one), ifindex
 * allocation, and {@link #ovsLock()}, the one lock every mutation takes ({@code ovs_lock}).
 *
 * <p>Readers (GET, dumps, the packet path) use the concurrent views without the lock.
 */
public final class OvsNet {
    /** The loopback device every namespace has: ifindex 1, not a datapath nor a vport. */
    public static final String LOOPBACK = "lo";

    private final ReentrantLock ovsLock = new ReentrantLock();
    private final Map<String, Integer> netdevs = new LinkedHashMap<>();
    private final Map<Integer, String> netdevByIfindex = new LinkedHashMap<>();
    private final Map<String, Datapath> datapaths = new LinkedHashMap<>();
    private final Map<String, Vport> vportsByName = new LinkedHashMap<>();
    private volatile Datapath[] byIfindex = new Datapath[0];
    private int nextIfindex = 2;

    public OvsNet() {
        netdevs.put(LOOPBACK, 1);
        netdevByIfindex.put(1, LOOPBACK);
    }

    public ReentrantLock ovsLock() {
        return ovsLock;
    }

    /** {@code get_dp(net, dp_ifindex)}: lock-free. */
    public Datapath datapath(int ifindex) {
        for (Datapath dp : byIfindex) {
            if (dp.ifindex() == ifindex) {
                return dp;
            }
        }
        return null;
    }

    public synchronized Datapath datapath(String name) {
        return datapaths.get(name);
    }

    public synchronized List<Datapath> datapaths() {
        return new ArrayList<>(datapaths.values());
    }

    public synchronized boolean netdevExists(String name) {
        return netdevs.containsKey(name);
    }

    public synchronized boolean ifindexInUse(int ifindex) {
        return netdevByIfindex.containsKey(ifindex);
    }

    /** Registers a netdev; {@code requested} 0 picks the next free ifindex. Returns the ifindex. */
    public synchronized int registerNetdev(String name, int requested) {
        int ifindex = requested;
        if (ifindex == 0) {
            while (netdevByIfindex.containsKey(nextIfindex)) {
                nextIfindex++;
            }
            ifindex = nextIfindex++;
        }
        netdevs.put(name, ifindex);
        netdevByIfindex.put(ifindex, name);
        return ifindex;
    }

    public synchronized void unregisterNetdev(String name) {
        Integer ifindex = netdevs.remove(name);
        if (ifindex != null) {
            netdevByIfindex.remove(ifindex);
        }
    }

    public synchronized void addDatapath(Datapath dp) {
        datapaths.put(dp.name(), dp);
        publish();
    }

    public synchronized void removeDatapath(Datapath dp) {
        datapaths.remove(dp.name());
        publish();
    }

    private void publish() {
        byIfindex = datapaths.values().toArray(new Datapath[0]);
    }

    /** A vport by its netdev name, in any datapath. */
    public synchronized Vport vport(String name) {
        return vportsByName.get(name);
    }

    public synchronized void addVport(Vport v) {
        vportsByName.put(v.name(), v);
    }

    public synchronized void removeVport(Vport v) {
        vportsByName.remove(v.name(), v);
    }
}
