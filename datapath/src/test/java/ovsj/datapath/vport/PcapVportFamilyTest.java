package ovsj.datapath.vport;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.vport.Client.ACK;
import static ovsj.datapath.vport.Client.DUMP;
import static ovsj.datapath.vport.Client.ECHO;
import static ovsj.datapath.vport.Client.attrs;
import static ovsj.datapath.vport.Client.error;
import static ovsj.datapath.vport.Client.string;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ovsj.datapath.Datapath;
import ovsj.datapath.Vport;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportCmd;
import ovsj.odp.uapi.VportType;

/** The vport family with pcap ports (type 100) and the devices every port gets. */
class PcapVportFamilyTest {
    private static final int PCAP = PcapDevice.OVS_VPORT_TYPE_PCAP;

    @TempDir
    Path dir;

    private Path input(int n) throws IOException {
        Path p = dir.resolve("in.pcap");
        try (PcapFile.Writer w = PcapFile.Writer.create(p, new PcapFile.Header(true, ByteOrder.BIG_ENDIAN, 2, 4, 65535, 1))) {
            for (int i = 0; i < n; i++) {
                w.write(i, PcapFileTest.frame(60, i), 0, 60);
            }
        }
        return p;
    }

    private static Consumer<NlWriter> files(Path in, Path out) {
        return w -> {
            if (in != null) {
                w.putString(PcapOptions.INPUT, in.toString());
            }
            if (out != null) {
                w.putString(PcapOptions.OUTPUT, out.toString());
            }
        };
    }

    private static Map<Integer, byte[]> options(byte[] m) {
        byte[] o = attrs(m).get(VportAttr.OPTIONS);
        return o == null ? null : attrs(o, 0, o.length);
    }

    @Test
    void aPcapPortReportsItsTypeAndOptions() throws Exception {
        Client c = new Client();
        int dp = c.newDp("dp0");
        Path in = input(4);
        Path out = dir.resolve("out.pcap");
        List<byte[]> r = c.newVport(dp, "pc%d", PCAP, w -> {
            files(in, out).accept(w);
            w.putU32(PcapOptions.RATE_PPS, 1000);
            w.putFlag(PcapOptions.LOOP);
        });
        assertThat(error(r)).isZero();
        byte[] m = r.get(0);
        assertThat(Wire.u32(attrs(m).get(VportAttr.TYPE), 0)).isEqualTo(PCAP);
        assertThat(string(attrs(m).get(VportAttr.NAME))).isEqualTo("pc0");
        // The kernel's order: ..., STATS, UPCALL_PID, then OPTIONS, nested without NLA_F_NESTED.
        assertThat(attrs(m).keySet()).containsExactly(VportAttr.PORT_NO, VportAttr.TYPE, VportAttr.NAME,
                VportAttr.IFINDEX, VportAttr.STATS, VportAttr.UPCALL_PID, VportAttr.OPTIONS);
        assertThat(Client.rawType(m, VportAttr.OPTIONS)).isEqualTo(VportAttr.OPTIONS);
        Map<Integer, byte[]> o = options(m);
        assertThat(o.keySet()).containsExactly(PcapOptions.INPUT, PcapOptions.OUTPUT, PcapOptions.RATE_PPS,
                PcapOptions.LOOP);
        assertThat(string(o.get(PcapOptions.INPUT))).isEqualTo(in.toString());
        assertThat(string(o.get(PcapOptions.OUTPUT))).isEqualTo(out.toString());
        assertThat(Wire.u32(o.get(PcapOptions.RATE_PPS), 0)).isEqualTo(1000);
        assertThat(o.get(PcapOptions.LOOP)).isEmpty();

        // GET and DUMP say the same; internal ports have no OPTIONS. The looping replay misses (no
        // flows) and upcalls to this socket meanwhile: keep the replies only.
        int packetFamily = c.ovs.genl().family(ovsj.odp.uapi.Families.PACKET_FAMILY).id();
        List<byte[]> g = c.vport(VportCmd.GET, ACK, dp, "pc0").stream()
                .filter(x -> ovsj.netlink.NlMsgHdr.type(x, 0) != packetFamily).toList();
        assertThat(error(g)).isZero();
        assertThat(options(g.get(0))).containsOnlyKeys(o.keySet());
        List<byte[]> d = c.send(ovsj.odp.uapi.Families.VPORT_FAMILY, VportCmd.GET, DUMP, dp, w -> { }).stream()
                .filter(x -> ovsj.netlink.NlMsgHdr.type(x, 0) != packetFamily).toList();
        assertThat(d).hasSize(3); // local port, pc0, NLMSG_DONE
        assertThat(options(d.get(0))).isNull();
        assertThat(options(d.get(1)).get(PcapOptions.OUTPUT)).isEqualTo(o.get(PcapOptions.OUTPUT));

        Vport v = c.ovs.net().vport("pc0");
        assertThat(v.device()).isInstanceOf(PcapDevice.class);
        assertThat(c.ovs.net().vport("dp0").device()).isInstanceOf(InternalDevice.class);
        assertThat(c.klog).contains("device pc0 entered promiscuous mode");
        // Options cannot change (no set_options).
        assertThat(error(c.send(ovsj.odp.uapi.Families.VPORT_FAMILY, VportCmd.SET, ACK, dp, w -> {
            w.putString(VportAttr.NAME, "pc0");
            int n = w.beginNest(VportAttr.OPTIONS);
            w.putU32(PcapOptions.RATE_PPS, 5);
            w.endNest(n);
        }))).isEqualTo(-Errno.EOPNOTSUPP);
    }

    @Test
    void theReplayReachesTheDatapathAndDeleteStopsIt() throws Exception {
        Client c = new Client();
        int dp = c.newDp("dp0");
        Path in = input(5);
        Path out = dir.resolve("out.pcap");
        assertThat(error(c.newVport(dp, "pc1", PCAP, files(in, out)))).isZero();
        PcapDevice d = (PcapDevice) c.ovs.net().vport("pc1").device();
        assertThat(d.awaitReplay(10, TimeUnit.SECONDS)).isTrue();
        // Every frame was handed to the datapath (taken or refused, depending on the fast path).
        assertThat(d.rxPackets() + d.rxDropped()).isEqualTo(5);
        assertThat(d.send(InternalDeviceTest.packet((byte) 1, (byte) 2, (byte) 3))).isTrue();
        assertThat(error(c.vport(VportCmd.DEL, ACK, dp, "pc1"))).isZero();
        assertThat(d.send(InternalDeviceTest.packet((byte) 4))).isFalse(); // closed
        assertThat(c.klog).contains("device pc1 left promiscuous mode");
        try (PcapFile.Reader r = PcapFile.Reader.open(out)) {
            assertThat(r.next()).isTrue();
            assertThat(r.length()).isEqualTo(3);
            assertThat(r.next()).isFalse();
        }
    }

    @Test
    void deletingTheDatapathClosesEveryDevice() throws Exception {
        Client c = new Client();
        int dp = c.newDp("dp0");
        Path in = input(3);
        assertThat(error(c.newVport(dp, "pc1", PCAP, w -> {
            files(in, null).accept(w);
            w.putFlag(PcapOptions.LOOP);
            w.putU32(PcapOptions.RATE_PPS, 100);
        }))).isZero();
        assertThat(error(c.newVport(dp, "in1", VportType.INTERNAL, null))).isZero();
        Vport pc = c.ovs.net().vport("pc1");
        Vport local = c.ovs.net().vport("dp0");
        PcapDevice d = (PcapDevice) pc.device();
        assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.RUNNING);
        assertThat(error(c.delDp(dp))).isZero();
        assertThat(d.awaitReplay(0, TimeUnit.SECONDS)).isTrue();
        assertThat(d.replayState()).isEqualTo(PcapDevice.ReplayState.STOPPED);
        assertThat(pc.device()).isNull();
        assertThat(local.device()).isNull();
    }

    @Test
    void badOptionsAndFilesGetTheirErrno() throws Exception {
        Client c = new Client();
        int dp = c.newDp("dp0");
        Path good = input(1);
        Path missing = dir.resolve("missing.pcap");
        Path corrupt = dir.resolve("corrupt.pcap");
        Files.writeString(corrupt, "0123456789abcdef0123456789abcdef");
        assertThat(error(c.newVport(dp, "p1", PCAP, null))).isEqualTo(-Errno.EINVAL);
        assertThat(error(c.newVport(dp, "p1", PCAP, w -> { }))).isEqualTo(-Errno.EINVAL);
        assertThat(error(c.newVport(dp, "p1", PCAP, files(missing, null)))).isEqualTo(-Errno.ENOENT);
        assertThat(error(c.newVport(dp, "p1", PCAP, files(corrupt, null)))).isEqualTo(-Errno.EINVAL);
        assertThat(error(c.newVport(dp, "p1", PCAP, files(good, dir.resolve("no/dir/out.pcap")))))
                .isEqualTo(-Errno.EACCES);
        assertThat(error(c.newVport(dp, "p1", PCAP, files(dir, null)))).isEqualTo(-Errno.EISDIR);
        assertThat(error(c.newVport(dp, "p1", PCAP, w -> w.putString(PcapOptions.INPUT, "/" + "x".repeat(1024)))))
                .isEqualTo(-Errno.ENAMETOOLONG);
        assertThat(error(c.newVport(dp, "p1", PCAP, w -> {
            files(good, null).accept(w);
            w.putU16(PcapOptions.RATE_PPS, 1);
        }))).isEqualTo(-Errno.EINVAL);
        // An ifindex is for internal ports only.
        assertThat(error(c.send(ovsj.odp.uapi.Families.VPORT_FAMILY, VportCmd.NEW, ACK, dp, w -> {
            w.putU32(VportAttr.TYPE, PCAP);
            w.putString(VportAttr.NAME, "p1");
            w.putU32(VportAttr.UPCALL_PID, 0);
            w.putU32(VportAttr.IFINDEX, 77);
        }))).isEqualTo(-Errno.EOPNOTSUPP);
        // Nothing was left behind: the name is free, no device is registered.
        assertThat(c.ovs.net().netdevExists("p1")).isFalse();
        // A taken name is refused before the output is created (and truncated).
        Path out = dir.resolve("keep.pcap");
        Files.writeString(out, "keep");
        assertThat(error(c.newVport(dp, "dp0", PCAP, files(null, out)))).isEqualTo(-Errno.EEXIST);
        assertThat(Files.readString(out)).isEqualTo("keep");
        assertThat(error(c.newVport(dp, "p1", PCAP, files(null, out)))).isZero();
        assertThat(Files.size(out)).isEqualTo(24);
    }

    @Test
    void thePortNumberAndNameRulesAreThoseOfEveryPort() throws Exception {
        Client c = new Client();
        int dp = c.newDp("dp0");
        Path out = dir.resolve("o.pcap");
        List<byte[]> r = c.send(ovsj.odp.uapi.Families.VPORT_FAMILY, VportCmd.NEW, ECHO, dp, w -> {
            w.putU32(VportAttr.PORT_NO, 9);
            w.putU32(VportAttr.TYPE, PCAP);
            w.putString(VportAttr.NAME, "pcap9");
            w.putU32(VportAttr.UPCALL_PID, 0);
            int n = w.beginNest(VportAttr.OPTIONS);
            files(null, out).accept(w);
            w.endNest(n);
        });
        assertThat(error(r)).isZero();
        assertThat(Wire.u32(attrs(r.get(0)).get(VportAttr.PORT_NO), 0)).isEqualTo(9);
        Datapath d = c.ovs.net().datapath("dp0");
        assertThat(d.port(9).type()).isEqualTo(PCAP);
        assertThat(error(c.newVport(dp, "pcap9", PCAP, files(null, dir.resolve("p.pcap"))))).isEqualTo(-Errno.EEXIST);
    }
}
