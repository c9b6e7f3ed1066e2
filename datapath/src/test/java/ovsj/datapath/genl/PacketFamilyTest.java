package ovsj.datapath.genl;

import static ovsj.datapath.genl.FamilyClient.ACK;
import static ovsj.datapath.genl.FamilyClient.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.CtLimitCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.MeterCmd;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.PacketCmd;

/** {@link PacketFamily}'s checks and its executor hook; the meter and ct_limit stubs. */
class PacketFamilyTest {
    private static final String PK = Families.PACKET_FAMILY;

    private static Consumer<NlWriter> execute(int inPort, Consumer<NlWriter> actions, Consumer<NlWriter> extra) {
        return w -> {
            w.putBytes(PacketAttr.PACKET, new byte[60]);
            int key = w.beginNest(PacketAttr.KEY);
            if (inPort >= 0) {
                w.putU32(KeyAttr.IN_PORT, inPort);
            }
            w.reserve(KeyAttr.ETHERNET, 12);
            w.putBe16(KeyAttr.ETHERTYPE, 0x1234);
            w.endNest(key);
            int acts = w.beginNest(PacketAttr.ACTIONS);
            actions.accept(w);
            w.endNest(acts);
            extra.accept(w);
        };
    }

    private static final Consumer<NlWriter> OUTPUT_2 = w -> w.putU32(ActionAttr.OUTPUT, 2);
    private static final Consumer<NlWriter> NONE = w -> { };

    @Test
    void validRequestsReachTheExecutor() {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", 0);
        assertThat(error(c.newVport(dp, "vp1", 0, 0))).isZero();
        // No executor yet: validated, answered 0, nothing else.
        assertThat(error(c.send(PK, PacketCmd.EXECUTE, ACK, dp, execute(1, OUTPUT_2, NONE)))).isZero();

        PacketFamily family = (PacketFamily) c.ovs.genl().family(PK);
        List<PacketExecutor.Execution> seen = new ArrayList<>();
        family.executor(x -> {
            seen.add(x);
            return -Errno.ENOBUFS;
        });
        List<byte[]> r = c.send(PK, PacketCmd.EXECUTE, ACK, dp, execute(1, OUTPUT_2, w -> {
            w.putU16(PacketAttr.MRU, 1400);
            w.putU64(PacketAttr.HASH, 0x3_1234_5678L);
        }));
        assertThat(error(r)).isEqualTo(-Errno.ENOBUFS); // the executor's answer is the request's
        assertThat(seen).hasSize(1);
        PacketExecutor.Execution x = seen.get(0);
        assertThat(x.input().name()).isEqualTo("vp1");
        assertThat(x.packet()).hasSize(60);
        assertThat(x.mru()).isEqualTo(1400);
        assertThat(x.hasHash()).isTrue();
        assertThat(x.hash()).isEqualTo(0x3_1234_5678L);
        assertThat(x.key().ethType()).isEqualTo(0x1234);

        // An unknown or absent in_port runs the packet as from the local port.
        family.executor(e -> {
            seen.add(e);
            return 0;
        });
        assertThat(error(c.send(PK, PacketCmd.EXECUTE, ACK, dp, execute(7, OUTPUT_2, NONE)))).isZero();
        assertThat(error(c.send(PK, PacketCmd.EXECUTE, ACK, dp, execute(-1, OUTPUT_2, NONE)))).isZero();
        assertThat(seen.get(1).input().portNo()).isZero();
        assertThat(seen.get(2).input().portNo()).isZero();
        assertThat(seen.get(2).hasHash()).isFalse();
    }

    @Test
    void checksComeInTheKernelsOrder() {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", 0);
        // Bad actions beat a bad datapath; a probe logs nothing.
        Consumer<NlWriter> badOutput = w -> w.putU16(ActionAttr.OUTPUT, 2);
        c.klog.clear();
        assertThat(error(c.send(PK, PacketCmd.EXECUTE, ACK, 9999, execute(1, badOutput,
                w -> w.putFlag(PacketAttr.PROBE))))).isEqualTo(-Errno.EINVAL);
        assertThat(c.klog).isEmpty();
        assertThat(error(c.send(PK, PacketCmd.EXECUTE, ACK, 9999, execute(1, OUTPUT_2, NONE))))
                .isEqualTo(-Errno.ENODEV);
        // A key the kernel refuses (in_port out of range) is -EINVAL.
        assertThat(error(c.send(PK, PacketCmd.EXECUTE, ACK, dp, execute(70000, OUTPUT_2, NONE))))
                .isEqualTo(-Errno.EINVAL);
    }

    @Test
    void metersAndConntrackLimitsAreNotImplemented() {
        FamilyClient c = new FamilyClient(1);
        assertThat(error(c.send(Families.METER_FAMILY, MeterCmd.FEATURES, ACK, 0, NONE)))
                .isEqualTo(-Errno.EOPNOTSUPP);
        assertThat(error(c.send(Families.CT_LIMIT_FAMILY, CtLimitCmd.GET, ACK, 0, NONE)))
                .isEqualTo(-Errno.EOPNOTSUPP);
        // The policy still applies first: a short METER_ATTR_ID is -ERANGE.
        assertThat(error(c.send(Families.METER_FAMILY, MeterCmd.GET, ACK, 0, w -> w.putU16(1, 1))))
                .isEqualTo(-Errno.ERANGE);
    }
}
