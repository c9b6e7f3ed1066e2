package ovsj.cli.dpctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.odp.dpif.DpInfo;
import ovsj.odp.dpif.Dpif;
import ovsj.odp.dpif.DpifException;
import ovsj.odp.dpif.FlowDump;
import ovsj.odp.dpif.FlowMessage;
import ovsj.odp.dpif.FlowRequest;
import ovsj.odp.dpif.UnixSocketChannel;
import ovsj.odp.dpif.VportInfo;
import ovsj.odp.text.OdpActionsParse;
import ovsj.odp.text.OdpFlowParse;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.UfidFlags;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportType;

/** The dpif client ({@code ovsj.odp.dpif}) against a real ovsj datapath over its UNIX socket. */
@Timeout(60)
class DpifIntegrationTest {
    @TempDir
    Path dir;

    static byte[][] keyMask(String match) throws Exception {
        NlWriter k = new NlWriter(256);
        NlWriter m = new NlWriter(256);
        OdpFlowParse.parse(match, null, k, m);
        return new byte[][] {k.toByteArray(), m.toByteArray()};
    }

    static byte[] actions(String s) throws Exception {
        NlWriter w = new NlWriter(256);
        OdpActionsParse.parse(s, null, w);
        return w.toByteArray();
    }

    static int errno(Throwable t) {
        return ((DpifException) t).errno();
    }

    @Test
    void datapathsPortsFlowsAndExecute() throws Exception {
        try (DpctlHarness h = new DpctlHarness(dir);
                Dpif dpif = Dpif.open(UnixSocketChannel.connect(h.socket))) {
            DpInfo dp = dpif.dpNew("dp9", 0, UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS);
            assertThat(dp.name()).isEqualTo("dp9");
            assertThat(dp.userFeatures()).isEqualTo(UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS);
            assertThat(dp.masksCacheSize()).isEqualTo(256);
            assertThatThrownBy(() -> dpif.dpNew("dp9", 0, 0)).satisfies(t -> assertThat(errno(t)).isEqualTo(Errno.EEXIST));
            assertThatThrownBy(() -> dpif.dpGet("nosuch")).satisfies(t -> assertThat(errno(t)).isEqualTo(Errno.ENODEV));
            assertThat(dpif.dpDump()).extracting(DpInfo::name).containsExactly("dp9");
            assertThat(dpif.dpSet(dp.ifindex(), -1, 512).masksCacheSize()).isEqualTo(512);
            int ifx = dp.ifindex();

            VportInfo p1 = dpif.vportNew(ifx, "q1", VportType.INTERNAL, -1, new int[] {0}, null);
            VportInfo p2 = dpif.vportNew(ifx, "q2", VportType.INTERNAL, 7, new int[] {0}, null);
            assertThat(p1.portNo()).isEqualTo(1);
            assertThat(p2.portNo()).isEqualTo(7);
            assertThatThrownBy(() -> dpif.vportNew(ifx, "q3", VportType.INTERNAL, 7, new int[] {0}, null))
                    .satisfies(t -> assertThat(errno(t)).isEqualTo(Errno.EBUSY));
            assertThat(dpif.vportGet(ifx, "q2").portNo()).isEqualTo(7);
            assertThat(dpif.vportGet(ifx, 1).name()).isEqualTo("q1");
            assertThat(dpif.vportSet(ifx, 7, -1, new int[] {0}, null).name()).isEqualTo("q2");
            assertThat(dpif.vportDump(ifx)).extracting(VportInfo::name).containsExactlyInAnyOrder("dp9", "q1", "q2");

            byte[][] km = keyMask("in_port(1),eth(),eth_type(0x1234)");
            byte[] ufid = new byte[16];
            ufid[0] = 0x42;
            FlowRequest r = new FlowRequest().ufid(ufid).key(km[0]).mask(km[1]).actions(actions("7"));
            FlowMessage created = dpif.flowPut(ifx, r, Dpif.PUT_CREATE, true);
            assertThat(created.cmd()).isEqualTo(FlowCmd.NEW);
            assertThat(created.ufid()).isEqualTo(ufid);
            assertThatThrownBy(() -> dpif.flowPut(ifx, r, Dpif.PUT_CREATE, false))
                    .satisfies(t -> assertThat(errno(t)).isEqualTo(Errno.EEXIST));

            // EXECUTE a frame out of port 7: its tx counters move.
            byte[] frame = HexFormat.of().parseHex("0200000000020200000000011234" + "00".repeat(46));
            byte[][] pk = keyMask("in_port(1),eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02),eth_type(0x1234)");
            dpif.execute(ifx, frame, pk[0], actions("7"), false, 0);
            long[] st = dpif.vportGet(ifx, 7).stats();
            assertThat(st[VportInfo.RX_PACKETS] + st[VportInfo.TX_PACKETS]).isEqualTo(1);

            FlowMessage got = dpif.flowGet(ifx, new FlowRequest().ufid(ufid));
            assertThat(got.actions()).isEqualTo(actions("7"));
            FlowMessage modified = dpif.flowPut(ifx, new FlowRequest().ufid(ufid).key(km[0]).mask(km[1])
                    .actions(actions("1")), Dpif.PUT_MODIFY | Dpif.PUT_ZERO_STATS, true);
            assertThat(modified.cmd()).isEqualTo(FlowCmd.SET);
            assertThat(dpif.flowGet(ifx, new FlowRequest().ufid(ufid)).actions()).isEqualTo(actions("1"));

            byte[][] km2 = keyMask("in_port(7),eth(),eth_type(0x1234)");
            dpif.flowPut(ifx, new FlowRequest().key(km2[0]).mask(km2[1]).actions(new byte[0]), Dpif.PUT_CREATE, false);
            try (FlowDump d = dpif.flowDump(ifx, UfidFlags.OMIT_KEY | UfidFlags.OMIT_MASK | UfidFlags.OMIT_ACTIONS)) {
                int n = 0;
                int terse = 0;
                for (FlowMessage f; (f = d.next()) != null; ) {
                    n++;
                    if (f.ufidOffset() >= 0) {
                        terse++;
                        assertThat(f.keyOffset()).isNegative();
                        assertThat(f.actionsOffset()).isNegative();
                    } else {
                        assertThat(f.keyOffset()).isNotNegative(); // no UFID: the key identifies it
                    }
                }
                assertThat(n).isEqualTo(2);
                assertThat(terse).isEqualTo(1);
            }
            // A dump closed half way leaves the socket usable.
            try (FlowDump d = dpif.flowDump(ifx, 0)) {
                assertThat(d.next()).isNotNull();
            }
            FlowMessage deleted = dpif.flowDel(ifx, new FlowRequest().ufid(ufid), true);
            assertThat(deleted.cmd()).isEqualTo(FlowCmd.DEL);
            assertThatThrownBy(() -> dpif.flowDel(ifx, new FlowRequest().ufid(ufid), false))
                    .satisfies(t -> assertThat(errno(t)).isEqualTo(Errno.ENOENT));
            dpif.flowFlush(ifx);
            try (FlowDump d = dpif.flowDump(ifx, 0)) {
                assertThat(d.next()).isNull();
            }
            dpif.vportDel(ifx, "q1");
            dpif.vportDel(ifx, 7);
            assertThat(dpif.vportDump(ifx)).extracting(VportInfo::name).isEqualTo(List.of("dp9"));
            dpif.dpDel("dp9");
            assertThat(dpif.dpDump()).isEmpty();
        }
    }
}
