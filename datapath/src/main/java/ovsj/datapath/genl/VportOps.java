package ovsj.datapath.genl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import ovsj.datapath.Datapath;
import ovsj.datapath.OvsNet;
import ovsj.datapath.Vport;
import ovsj.datapath.vport.InternalDevice;
import ovsj.datapath.vport.VportDevice;
import ovsj.netlink.Errno;
import ovsj.netlink.Wire;
import ovsj.odp.KernelLog;

/**
 * What {@code vport.c}, {@code vport-internal_dev.c} and the netdev core do for the datapath and vport
 * families: upcall port id checks ({@code ovs_vport_set_upcall_portids}), the netdev a port stands on
 * ({@code internal_dev_create} / {@code register_netdevice}: name rules, ifindex), attaching and detaching
 * ports ({@code new_vport} / {@code ovs_dp_detach_port}), and the order ports live in the kernel's hash
 * buckets. Every caller holds {@link OvsNet#ovsLock()}.
 */
final class VportOps {
    /** {@code DP_VPORT_HASH_BUCKETS}: a datapath's ports hash by {@code port_no & 1023}. */
    static final int DP_VPORT_HASH_BUCKETS = 1024;
    /** {@code IFNAMSIZ}. */
    static final int IFNAMSIZ = 16;
    /** {@code 8 * PAGE_SIZE}: how many {@code %d} names {@code __dev_alloc_name} tries. */
    private static final int MAX_NETDEVICES = 8 * 4096;

    private VportOps() {
    }

    /**
     * {@code ovs_vport_set_upcall_portids}: an UPCALL_PID array of u32, not empty. The 6.1.192 kernel the
     * vectors come from also refuses more ids than CPUs ({@code nr_cpu_ids}) with EINVAL (vport
     * scenario, steps 003 and 025). Returns the ids, or null for EINVAL.
     */
    static int[] upcallPortids(byte[] buf, int payload, int len, int cpus) {
        if (len == 0 || len % 4 != 0 || len / 4 > cpus) {
            return null;
        }
        int[] ids = new int[len / 4];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Wire.u32(buf, payload + 4 * i);
        }
        return ids;
    }

    /**
     * {@code dev_get_valid_name}: the name a new netdev asked for as {@code name} gets (a {@code %d}
     * pattern becomes the lowest free number), or null with {@code err[0]} = -EINVAL (bad name), -EEXIST
     * (taken) or -ENFILE (no free number).
     */
    static String validName(OvsNet net, String name, int[] err) {
        if (!devValidName(name)) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        int pct = name.indexOf('%');
        if (pct < 0) {
            if (net.netdevExists(name)) {
                err[0] = -Errno.EEXIST;
                return null;
            }
            return name;
        }
        // __dev_alloc_name: exactly one "%d" and no other '%'.
        if (pct + 1 >= name.length() || name.charAt(pct + 1) != 'd' || name.indexOf('%', pct + 2) >= 0) {
            err[0] = -Errno.EINVAL;
            return null;
        }
        for (int i = 0; i < MAX_NETDEVICES; i++) {
            String s = name.substring(0, pct) + i + name.substring(pct + 2);
            if (s.length() > IFNAMSIZ - 1) {
                s = s.substring(0, IFNAMSIZ - 1); // snprintf(buf, IFNAMSIZ, ...)
            }
            if (!net.netdevExists(s)) {
                return s;
            }
        }
        err[0] = -Errno.ENFILE;
        return null;
    }

    /** {@code dev_valid_name}. */
    private static boolean devValidName(String name) {
        if (name.isEmpty() || name.length() >= IFNAMSIZ || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // isspace() of the kernel's ctype: \t \n \v \f \r and space (and 0xa0 in its Latin-1 table)
            if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code internal_dev_create} after {@code ovs_vport_alloc}: registers the port's netdev (a requested
     * ifindex that is taken gives -EBUSY, 0 takes the next one) and sets it promiscuous, as the kernel
     * logs. Returns the ifindex or a negative errno; {@code name} must come from {@link #validName}.
     */
    static int registerInternalDev(OvsNet net, String name, int desiredIfindex, KernelLog klog) {
        if (desiredIfindex != 0 && net.ifindexInUse(desiredIfindex)) {
            return -Errno.EBUSY;
        }
        int ifindex = net.registerNetdev(name, desiredIfindex);
        klog.log("device " + name + " entered promiscuous mode");
        return ifindex;
    }

    /** {@code new_vport}'s tail for an internal port (a datapath's local port too): an {@link InternalDevice}. */
    static Vport attach(OvsNet net, Datapath dp, int portNo, int type, String name, int ifindex, int[] pids) {
        return attach(net, dp, portNo, type, name, ifindex, pids, new InternalDevice());
    }

    /** {@code new_vport}'s tail: the port, with its device, joins its datapath and the namespace's name table. */
    static Vport attach(OvsNet net, Datapath dp, int portNo, int type, String name, int ifindex, int[] pids,
            VportDevice device) {
        Vport v = new Vport(dp, portNo, type, name, ifindex, pids, device);
        dp.attach(v);
        net.addVport(v);
        return v;
    }

    /**
     * {@code ovs_dp_detach_port}: the port leaves its datapath, its device is closed (a pcap replay
     * stops, its output is closed) and its netdev goes away.
     */
    static void detach(OvsNet net, Vport v, KernelLog klog) {
        v.datapath().detach(v);
        net.removeVport(v);
        v.closeDevice();
        klog.log("device " + v.name() + " left promiscuous mode");
        net.unregisterNetdev(v.name());
    }

    /**
     * A datapath's ports in the order the kernel walks {@code dp->ports[]}: bucket by bucket
     * ({@code port_no & 1023}), newest first inside a bucket.
     */
    static List<Vport> hashOrder(Datapath dp) {
        List<Vport> out = new ArrayList<>(dp.ports());
        out.sort(Comparator.<Vport>comparingInt(v -> v.portNo() & (DP_VPORT_HASH_BUCKETS - 1))
                .thenComparing(Comparator.comparingLong(Vport::created).reversed()));
        return out;
    }

    /** The ports of bucket {@code bucket}, newest first ({@code hlist_for_each_entry_rcu}). */
    static List<Vport> bucket(Datapath dp, int bucket) {
        List<Vport> out = new ArrayList<>();
        for (int p = bucket; p < Datapath.MAX_PORTS; p += DP_VPORT_HASH_BUCKETS) {
            Vport v = dp.port(p);
            if (v != null) {
                out.add(v);
            }
        }
        out.sort(Comparator.comparingLong(Vport::created).reversed());
        return out;
    }
}
