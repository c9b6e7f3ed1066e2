package ovsj.odp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import ovsj.netlink.NlWriter;
import ovsj.netlink.testing.KernelVectors;
import ovsj.netlink.testing.KernelVectors.Exchange;
import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.KernelLog;
import ovsj.odp.Ufid;
import ovsj.odp.uapi.FlowCmd;

/**
 * Every flow request recorded from Linux 6.1 that carries a KEY goes through {@link KeyParser}: the
 * verdict (accepted, or the errno) and the kernel-log lines must be the kernel's. For every accepted
 * NEW whose reply was echoed, {@link KeyEmitter} must reproduce the reply's KEY and MASK byte for byte.
 */
class KeyCodecVectorsTest {
    static final List<String> SCENARIOS = List.of("flow_keys", "flow_actions", "flow_set", "flow_errors",
            "packet", "flow_bigactions", "flow_dump");

    /**
     * Steps whose recorded error is decided before or after the key codec (genl policy checks, the
     * datapath's own lookups): the codec accepts their key, and that is all this test can say.
     */
    static final Map<String, String> NOT_THE_CODECS = Map.of(
            "flow_errors/064-ufid-flags-short", "genl policy: UFID_FLAGS length (ERANGE)",
            "flow_errors/066-key-not-nested", "genl policy: KEY is not a nest (ERANGE)",
            "flow_errors/067-clear-with-payload", "genl policy: CLEAR flag with payload (ERANGE)");

    static List<Exchange> flowRequestsWithKey() {
        int flowFamily = KernelVectors.familyId("ovs_flow");
        List<Exchange> out = new ArrayList<>();
        for (String s : SCENARIOS) {
            for (Exchange x : KernelVectors.load(s)) {
                if (x.hasRequest() && x.requestType() == flowFamily && !x.isDump()
                        && FlowRequest.of(x.request()).key() >= 0) {
                    out.add(x);
                }
            }
        }
        return out;
    }

    @Test
    void vectorsCoverManyFlowRequests() {
        assertThat(flowRequestsWithKey()).hasSizeGreaterThan(300);
    }

    @TestFactory
    Stream<DynamicTest> keyAndMaskVerdictsAndLogsMatchTheKernel() {
        return flowRequestsWithKey().stream().map(x -> DynamicTest.dynamicTest(x.scenario() + "/" + x.step(), () -> {
            FlowRequest req = FlowRequest.of(x.request());
            String id = x.scenario() + "/" + x.step();
            boolean withMask = req.cmd() == FlowCmd.NEW || req.cmd() == FlowCmd.SET;
            int recorded = x.error() == null ? 0 : x.error();
            if (NOT_THE_CODECS.containsKey(id)) {
                assertThat(recorded).isNotZero();
                return;
            }
            List<String> logged = new ArrayList<>();
            // A probe (OVS_FLOW_ATTR_PROBE) logs nothing, as the kernel's `log = !probe`.
            KernelLog log = req.probe() >= 0 ? KernelLog.NONE : logged::add;
            FlowKey key = new FlowKey();
            FlowKey mask = withMask ? new FlowKey() : null;
            int err = new KeyParser().parseMatch(req.buf(), req.key(), withMask ? req.mask() : -1, key, mask, log);
            if (err != 0) {
                assertThat(err).as("errno").isEqualTo(recorded);
                assertThat(logged).as("klog").isEqualTo(x.klog());
            } else {
                assertThat(logged).as("nothing logged for an accepted key").isEmpty();
                assertThat(x.klog()).as("the kernel logged no key error either")
                        .noneMatch(l -> l.contains("Key ") || l.contains("Missing key") || l.contains("Unexpected mask")
                                || l.contains("VLAN") || l.contains("EtherType"));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> echoedNewFlowsReproduceKeyAndMaskBytes() {
        int flowFamily = KernelVectors.familyId("ovs_flow");
        return flowRequestsWithKey().stream()
                .filter(x -> FlowRequest.of(x.request()).cmd() == FlowCmd.NEW && x.error() != null && x.error() == 0
                        && x.replyOfType(flowFamily) != null)
                .map(x -> DynamicTest.dynamicTest(x.scenario() + "/" + x.step(), () -> {
                    FlowRequest req = FlowRequest.of(x.request());
                    FlowRequest reply = FlowRequest.of(x.replyOfType(flowFamily));
                    FlowKey key = new FlowKey();
                    FlowKey maskBits = new FlowKey();
                    assertThat(new KeyParser().parseMatch(req.buf(), req.key(), req.mask(), key, maskBits,
                            l -> { })).isZero();
                    FlowMask mask = new FlowMask(maskBits);
                    FlowKey masked = new FlowKey();
                    masked.mask(key, mask);
                    boolean ufid = req.ufid() >= 0 && Ufid.isValidLength(req.payloadLength(req.ufid()));

                    NlWriter w = new NlWriter(1024);
                    KeyEmitter.putKey(w, ufid ? masked : key);
                    assertThat(ovsj.netlink.Wire.hex(w.buffer(), 0, w.position())).as("KEY")
                            .isEqualTo(reply.attrHex(reply.key()));

                    NlWriter m = new NlWriter(1024);
                    KeyEmitter.putMask(m, masked, mask);
                    assertThat(ovsj.netlink.Wire.hex(m.buffer(), 0, m.position())).as("MASK")
                            .isEqualTo(reply.attrHex(reply.mask()));
                }));
    }
}
