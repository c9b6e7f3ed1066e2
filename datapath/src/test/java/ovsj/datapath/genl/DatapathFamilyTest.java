package ovsj.datapath.genl;

import static ovsj.datapath.genl.FamilyClient.ACK;
import static ovsj.datapath.genl.FamilyClient.DUMP;
import static ovsj.datapath.genl.FamilyClient.ECHO;
import static ovsj.datapath.genl.FamilyClient.attrs;
import static ovsj.datapath.genl.FamilyClient.error;
import static ovsj.datapath.genl.FamilyClient.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Datapath;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.UserFeatures;

/** {@link DatapathFamily} behaviours of {@code datapath.c} that the kernel vectors do not exercise. */
class DatapathFamilyTest {
    private static final String DP = Families.DATAPATH_FAMILY;

    @Test
    void perCpuPidsAreReportedForAtMostNrCpuIds() {
        FamilyClient c = new FamilyClient(2);
        List<byte[]> r = c.send(DP, DpCmd.NEW, ECHO, 0, w -> {
            w.putString(DpAttr.NAME, "dpc");
            w.putU32(DpAttr.UPCALL_PID, 0);
            w.putU32(DpAttr.USER_FEATURES, UserFeatures.DISPATCH_UPCALL_PER_CPU);
            FamilyClient.u32s(w, DpAttr.PER_CPU_PIDS, 10, 11, 12);
        });
        assertThat(error(r)).isZero();
        byte[] pids = attrs(r.get(0)).get(DpAttr.PER_CPU_PIDS);
        assertThat(pids).hasSize(8);
        assertThat(Wire.u32(pids, 0)).isEqualTo(10);
        assertThat(Wire.u32(pids, 4)).isEqualTo(11);
        // All three are kept: the packet path picks pids[cpu].
        assertThat(c.ovs.net().datapath("dpc").perCpuPids()).containsExactly(10, 11, 12);
    }

    @Test
    void setKeepsTheFeaturesWhenThePerCpuPidsAreRefused() {
        FamilyClient c = new FamilyClient(1);
        int ifindex = c.newDp("dp0", UserFeatures.UNALIGNED);
        List<byte[]> r = c.send(DP, DpCmd.SET, ACK, ifindex, w -> {
            w.putU32(DpAttr.USER_FEATURES, UserFeatures.DISPATCH_UPCALL_PER_CPU);
            w.reserve(DpAttr.PER_CPU_PIDS, 0);
        });
        assertThat(error(r)).isEqualTo(-Errno.EINVAL);
        // ovs_dp_change sets user_features before it checks the pids.
        assertThat(c.ovs.net().datapath("dp0").userFeatures()).isEqualTo(UserFeatures.DISPATCH_UPCALL_PER_CPU);
    }

    @Test
    void setWithoutFeaturesClearsThem() {
        FamilyClient c = new FamilyClient(1);
        int ifindex = c.newDp("dp0", UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS);
        assertThat(error(c.send(DP, DpCmd.SET, ACK, ifindex, w -> w.putU32(DpAttr.MASKS_CACHE_SIZE, 0)))).isZero();
        Datapath dp = c.ovs.net().datapath("dp0");
        assertThat(dp.userFeatures()).isZero();
        assertThat(dp.table().maskCacheSize()).isZero();
    }

    @Test
    void anOldClientCreatingAnExistingDatapathDropsItsFeatures() {
        FamilyClient c = new FamilyClient(1);
        c.newDp("dp0", UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS);
        c.klog.clear();
        NlWriter w = new NlWriter(64);
        int m = w.beginMessage(c.id(DP), ACK, 1, 0);
        w.putGenlHeader(DpCmd.NEW, 1); // OVS_DATAPATH_VERSION 1: knows nothing of features
        w.putRawU32(0);
        w.putString(DpAttr.NAME, "dp0");
        w.putU32(DpAttr.UPCALL_PID, 0);
        w.endMessage(m);
        List<byte[]> r = FamilyClient.messages(c.conn.request(w.toByteArray()).get(0));
        assertThat(error(r)).isEqualTo(-Errno.EEXIST);
        assertThat(c.ovs.net().datapath("dp0").userFeatures()).isZero();
        assertThat(c.klog).containsExactly("openvswitch: dp0: Dropping previously announced user features");
    }

    @Test
    void namesAndIfindexesAreShared() {
        FamilyClient c = new FamilyClient(1);
        int dp0 = c.newDp("dp0", 0);
        assertThat(error(c.newVport(dp0, "vp1", 0, 0))).isZero();
        // A port's name is a netdev name: no datapath may take it.
        List<byte[]> r = c.send(DP, DpCmd.NEW, ACK, 0, w -> {
            w.putString(DpAttr.NAME, "vp1");
            w.putU32(DpAttr.UPCALL_PID, 0);
        });
        assertThat(error(r)).isEqualTo(-Errno.EEXIST);
        // A taken ifindex is -EBUSY from register_netdevice, reported as -EEXIST.
        r = c.send(DP, DpCmd.NEW, ACK, 0, w -> {
            w.putString(DpAttr.NAME, "dpx");
            w.putU32(DpAttr.UPCALL_PID, 0);
            w.putU32(DpAttr.IFINDEX, dp0);
        });
        assertThat(error(r)).isEqualTo(-Errno.EEXIST);
        // GET by the name of a port that is not a local port finds no datapath.
        r = c.send(DP, DpCmd.GET, ACK, 0, w -> w.putString(DpAttr.NAME, "vp1"));
        assertThat(error(r)).isEqualTo(-Errno.ENODEV);
        // Failures consumed no ifindex: dp0 = 2, vp1 = 3, the next is 4.
        assertThat(c.newDp("dp1", 0)).isEqualTo(4);
    }

    @Test
    void badNamesAreRefused() {
        FamilyClient c = new FamilyClient(1);
        for (String name : new String[] {"", ".", "..", "a/b", "a:b", "a b"}) {
            List<byte[]> r = c.send(DP, DpCmd.NEW, ACK, 0, w -> {
                w.putString(DpAttr.NAME, name);
                w.putU32(DpAttr.UPCALL_PID, 0);
            });
            assertThat(error(r)).as(name).isEqualTo(-Errno.EINVAL);
        }
        assertThat(c.ovs.net().datapaths()).isEmpty();
    }

    @Test
    void deleteFreesPortsFlowsAndNames() {
        FamilyClient c = new FamilyClient(1);
        int dp0 = c.newDp("dp0", 0);
        assertThat(error(c.newVport(dp0, "vp1", 0, 0))).isZero();
        List<byte[]> r = c.send(Families.FLOW_FAMILY, FlowCmd.NEW, ACK, dp0, w -> {
            int key = w.beginNest(FlowAttr.KEY);
            w.putU32(KeyAttr.IN_PORT, 1);
            w.reserve(KeyAttr.ETHERNET, 12);
            w.putBe16(KeyAttr.ETHERTYPE, 0x1234);
            w.endNest(key);
            w.endNest(w.beginNest(FlowAttr.ACTIONS));
        });
        assertThat(error(r)).isZero();
        Datapath dp = c.ovs.net().datapath("dp0");
        assertThat(dp.table().count()).isEqualTo(1);

        c.klog.clear();
        r = c.send(DP, DpCmd.DEL, ECHO, dp0, w -> { });
        assertThat(error(r)).isZero();
        // The echoed datapath is the one before deletion: one flow.
        byte[] stats = attrs(r.get(0)).get(DpAttr.STATS);
        assertThat(Wire.u64(stats, 24)).isEqualTo(1);
        assertThat(dp.table().count()).isZero();
        assertThat(dp.ports()).isEmpty();
        assertThat(c.klog).containsExactly("device vp1 left promiscuous mode", "device dp0 left promiscuous mode");
        assertThat(c.ovs.net().netdevExists("vp1")).isFalse();
        assertThat(c.ovs.net().vport("dp0")).isNull();
        // Both names can be used again.
        int again = c.newDp("vp1", 0);
        assertThat(error(c.newVport(again, "dp0", 0, 0))).isZero();
    }

    @Test
    void dumpsComeInFullBatches() {
        FamilyClient c = new FamilyClient(1);
        for (int i = 0; i < 400; i++) {
            c.newDp("d" + i, 0);
        }
        List<byte[]> ds = c.datagrams(DP, DpCmd.GET, DUMP, 0, w -> { });
        assertThat(ds).hasSize(3); // about 270 datapaths fit in a batch
        List<byte[]> all = FamilyClient.assertFullBatches(ds);
        assertThat(all).hasSize(400);
        byte[] last = all.get(399);
        assertThat(FamilyClient.string(attrs(last).get(DpAttr.NAME))).isEqualTo("d399");
        assertThat(u32(attrs(last).get(DpAttr.MASKS_CACHE_SIZE))).isEqualTo(256);
    }
}
