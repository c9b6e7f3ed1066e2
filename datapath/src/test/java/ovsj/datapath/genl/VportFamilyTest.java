package ovsj.datapath.genl;

import static ovsj.datapath.genl.FamilyClient.ACK;
import static ovsj.datapath.genl.FamilyClient.DUMP;
import static ovsj.datapath.genl.FamilyClient.ECHO;
import static ovsj.datapath.genl.FamilyClient.attrs;
import static ovsj.datapath.genl.FamilyClient.error;
import static ovsj.datapath.genl.FamilyClient.string;
import static ovsj.datapath.genl.FamilyClient.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ovsj.netlink.Errno;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportCmd;
import ovsj.odp.uapi.VportType;

/** {@link VportFamily} behaviours of {@code datapath.c} / {@code vport.c} that the vectors do not exercise. */
class VportFamilyTest {
    private static final String VP = Families.VPORT_FAMILY;

    @Test
    void aPercentDNameTakesTheLowestFreeNumber() {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", UserFeatures.VPORT_PIDS);
        assertThat(error(c.newVport(dp, "vp1", 0, 0))).isZero();
        List<byte[]> a = c.newVport(dp, "vp%d", 0, 0);
        List<byte[]> b = c.newVport(dp, "vp%d", 0, 0);
        assertThat(string(attrs(a.get(0)).get(VportAttr.NAME))).isEqualTo("vp0");
        assertThat(string(attrs(b.get(0)).get(VportAttr.NAME))).isEqualTo("vp2");
        assertThat(error(c.newVport(dp, "vp%d%d", 0, 0))).isEqualTo(-Errno.EINVAL);
        assertThat(error(c.newVport(dp, "vp%s", 0, 0))).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void aNetdevPortNeedsASuitableNetdev() {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", 0);
        assertThat(error(c.newVport(dp, "vp1", 0, 0))).isZero();
        for (String name : new String[] {"lo", "dp0", "vp1", "nosuch"}) {
            List<byte[]> r = c.send(VP, VportCmd.NEW, ACK, dp, w -> {
                w.putU32(VportAttr.TYPE, VportType.NETDEV);
                w.putString(VportAttr.NAME, name);
                w.putU32(VportAttr.UPCALL_PID, 0);
            });
            assertThat(error(r)).as(name).isEqualTo(name.equals("nosuch") ? -Errno.ENODEV : -Errno.EINVAL);
        }
        // Tunnel types are not built: as an unknown type.
        List<byte[]> r = c.send(VP, VportCmd.NEW, ACK, dp, w -> {
            w.putU32(VportAttr.TYPE, VportType.VXLAN);
            w.putString(VportAttr.NAME, "vx");
            w.putU32(VportAttr.UPCALL_PID, 0);
        });
        assertThat(error(r)).isEqualTo(-Errno.EAFNOSUPPORT);
        // A requested ifindex is for internal ports only, and must be free.
        r = c.send(VP, VportCmd.NEW, ACK, dp, w -> {
            w.putU32(VportAttr.TYPE, VportType.NETDEV);
            w.putString(VportAttr.NAME, "lo");
            w.putU32(VportAttr.UPCALL_PID, 0);
            w.putU32(VportAttr.IFINDEX, 50);
        });
        assertThat(error(r)).isEqualTo(-Errno.EOPNOTSUPP);
        r = c.send(VP, VportCmd.NEW, ACK, dp, w -> {
            w.putU32(VportAttr.TYPE, VportType.INTERNAL);
            w.putString(VportAttr.NAME, "vp2");
            w.putU32(VportAttr.UPCALL_PID, 0);
            w.putU32(VportAttr.IFINDEX, 1);
        });
        assertThat(error(r)).isEqualTo(-Errno.EBUSY);
    }

    @Test
    void lookupErrors() {
        FamilyClient c = new FamilyClient(1);
        int dp0 = c.newDp("dp0", 0);
        int dp1 = c.newDp("dp1", 0);
        assertThat(error(c.newVport(dp0, "vp1", 0, 0))).isZero();
        // By name, in the header's datapath only if it names one.
        assertThat(error(c.send(VP, VportCmd.GET, ACK, dp1, w -> w.putString(VportAttr.NAME, "vp1"))))
                .isEqualTo(-Errno.ENODEV);
        assertThat(error(c.send(VP, VportCmd.GET, ACK, dp0, w -> w.putString(VportAttr.NAME, "vp1")))).isZero();
        assertThat(error(c.send(VP, VportCmd.GET, ACK, dp0, w -> w.putU32(VportAttr.PORT_NO, 65535))))
                .isEqualTo(-Errno.EFBIG);
        assertThat(error(c.send(VP, VportCmd.GET, ACK, dp0, w -> {
            w.putString(VportAttr.NAME, "vp1");
            w.putU32(VportAttr.IFINDEX, 3);
        }))).isEqualTo(-Errno.EOPNOTSUPP);
        // Internal ports take no options.
        assertThat(error(c.send(VP, VportCmd.SET, ACK, dp0, w -> {
            w.putString(VportAttr.NAME, "vp1");
            w.endNest(w.beginNest(VportAttr.OPTIONS));
        }))).isEqualTo(-Errno.EOPNOTSUPP);
    }

    @Test
    void withoutVportPidsOnlyTheFirstUpcallPidIsReported() {
        FamilyClient c = new FamilyClient(2);
        int dp = c.newDp("dp0", 0);
        List<byte[]> r = c.newVport(dp, "vp1", 0, 5, 6);
        assertThat(error(r)).isZero();
        assertThat(attrs(r.get(0)).get(VportAttr.UPCALL_PID)).hasSize(4);
        assertThat(u32(attrs(r.get(0)).get(VportAttr.UPCALL_PID))).isEqualTo(5);
        assertThat(c.ovs.net().vport("vp1").upcallPids()).containsExactly(5, 6);
        // Three ids for two CPUs are too many.
        assertThat(error(c.newVport(dp, "vp2", 0, 1, 2, 3))).isEqualTo(-Errno.EINVAL);
    }

    @Test
    void dumpsWalkTheHashBucketsInFullBatches() {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", UserFeatures.VPORT_PIDS);
        for (int p = 1; p <= 1100; p++) {
            assertThat(error(c.newVport(dp, "p" + p, p, 0))).isZero();
        }
        List<byte[]> ds = c.datagrams(VP, VportCmd.GET, DUMP, dp, w -> { });
        List<Integer> order = new ArrayList<>();
        assertThat(ds.size()).isGreaterThan(4); // about 240 ports fit in a batch
        FamilyClient.assertFullBatches(ds).forEach(m -> order.add(u32(attrs(m).get(VportAttr.PORT_NO))));
        // Bucket 0 holds 1024 (newest) then 0; bucket 1 holds 1025 then 1; ...; bucket 76 holds 1100, 76.
        assertThat(order).hasSize(1101);
        assertThat(order.subList(0, 6)).containsExactly(1024, 0, 1025, 1, 1026, 2);
        assertThat(order.subList(152, 156)).containsExactly(1100, 76, 77, 78);
        assertThat(order.get(1100)).isEqualTo(1023);
    }

    @Test
    void deletingTheDatapathFreesItsPortNames() {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", 0);
        assertThat(error(c.newVport(dp, "vp1", 0, 0))).isZero();
        assertThat(error(c.send(Families.DATAPATH_FAMILY, ovsj.odp.uapi.DpCmd.DEL, ACK, dp, w -> { }))).isZero();
        assertThat(error(c.send(VP, VportCmd.GET, ACK, 0, w -> w.putString(VportAttr.NAME, "vp1"))))
                .isEqualTo(-Errno.ENODEV);
        int dp1 = c.newDp("dp1", 0);
        List<byte[]> r = c.newVport(dp1, "vp1", 0, 0);
        assertThat(error(r)).isZero();
        assertThat(u32(attrs(r.get(0)).get(VportAttr.PORT_NO))).isEqualTo(1);
        assertThat(error(c.send(VP, VportCmd.GET, ECHO, dp, w -> w.putU32(VportAttr.PORT_NO, 0))))
                .isEqualTo(-Errno.ENODEV);
    }
}
