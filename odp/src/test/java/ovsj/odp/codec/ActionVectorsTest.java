package ovsj.odp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.KeyAttr;

/**
 * Every flow request with actions recorded from Linux 6.1: {@link ActionCodec#copyActions} gives the
 * kernel's verdict, logs the kernel's lines when it refuses, and {@link ActionCodec#putActions}
 * reproduces the ACTIONS attribute of the echoed reply byte for byte.
 */
class ActionVectorsTest {
    static final int OVS_FLOW_FAMILY = 34;
    static final int ATTRS = 24; // nlmsghdr + genlmsghdr + ovs_header

    record Step(String file, String step, byte[] request, List<byte[]> replies, Integer error, List<String> klog) {
        @Override
        public String toString() {
            return file + "/" + step;
        }
    }

    static Path vectorsDir() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("ovsj.vectors");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("../vectors/kernel"));
        candidates.add(Path.of("/work/main/vectors/kernel"));
        candidates.add(Path.of("/work/shared/vectors/kernel"));
        for (Path p : candidates) {
            if (Files.exists(p.resolve("flow_actions.jsonl"))) {
                return p;
            }
        }
        throw new IllegalStateException("no kernel vectors in " + candidates);
    }

    static List<Step> load(String file) {
        ObjectMapper json = new ObjectMapper();
        List<Step> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(vectorsDir().resolve(file + ".jsonl"))) {
                JsonNode r = json.readTree(line);
                if (!"ovs_flow".equals(r.path("family").asText()) || !r.hasNonNull("request_hex")) {
                    continue;
                }
                List<byte[]> replies = new ArrayList<>();
                r.path("replies_hex").forEach(h -> replies.add(Wire.unhex(h.asText())));
                List<String> klog = new ArrayList<>();
                r.path("klog").forEach(k -> klog.add(k.asText()));
                Integer error = r.path("error").isNull() || r.path("error").isMissingNode() ? null
                        : r.path("error").asInt();
                out.add(new Step(file, r.path("step").asText(), Wire.unhex(r.path("request_hex").asText()),
                        replies, error, klog));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Header offset of the first top-level attribute {@code type} of a flow message, or -1. */
    static int attr(byte[] msg, int type) {
        if (msg.length < ATTRS) {
            return -1;
        }
        int len = Math.min(msg.length, Wire.u32(msg, 0));
        int p = ATTRS;
        while (p + 4 <= len) {
            int l = NlAttr.len(msg, p);
            if (l < 4 || p + l > len) {
                return -1;
            }
            if (NlAttr.type(msg, p) == type) {
                return p;
            }
            p += NlAttr.align(l);
        }
        return -1;
    }

    /** Steps of flow_errors about actions (the vectors' README): 076 to 104; 101 is accepted. */
    static boolean isActionErrorStep(String step) {
        int n = Integer.parseInt(step.substring(0, 3));
        return n >= 76 && n <= 104;
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedFlowRequestWithActionsGetsTheKernelVerdictAndReply() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : List.of("flow_actions", "flow_errors", "flow_bigactions", "flow_keys", "flow_set",
                "flow_dump", "packet")) {
            for (Step s : load(file)) {
                byte[] req = s.request();
                if (req.length < ATTRS || (req[16] != FlowCmd.NEW && req[16] != FlowCmd.SET)) {
                    continue;
                }
                int acts = attr(req, FlowAttr.ACTIONS);
                if (acts < 0) {
                    continue;
                }
                boolean actionStep = file.equals("flow_errors") && isActionErrorStep(s.step());
                if (file.equals("flow_errors") && !actionStep) {
                    continue; // refused for their key or message, before the actions are looked at
                }
                tests.add(DynamicTest.dynamicTest(s.toString(), () -> check(s, acts, actionStep)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(100);
        return tests.stream();
    }

    private static void check(Step s, int acts, boolean actionStep) {
        byte[] req = s.request();
        FlowKey key = KeyReader.maskedKey(req, attr(req, FlowAttr.KEY), attr(req, FlowAttr.MASK));
        List<String> lines = new ArrayList<>();
        NlWriter stored = new NlWriter(256);
        ActionCaller caller = req[16] == FlowCmd.SET ? ActionCaller.FLOW_SET : ActionCaller.FLOW_NEW;
        int err = ActionCodec.copyActions(req, acts + 4, NlAttr.len(req, acts) - 4, key, stored, lines::add, caller);

        int expected = actionStep ? s.error() : 0;
        assertThat(err).as("verdict").isEqualTo(expected);
        crossCheckWithKeyParser(req, acts, caller, err, stored);
        if (expected != 0) {
            assertThat(lines).as("klog").isEqualTo(s.klog());
            assertThat(stored.position()).as("nothing stored on error").isZero();
            return;
        }
        assertThat(lines).as("klog").isEmpty();
        for (byte[] reply : s.replies()) {
            int type = Wire.u16(reply, 4);
            int ra = type == OVS_FLOW_FAMILY ? attr(reply, FlowAttr.ACTIONS) : -1;
            if (ra < 0) {
                continue;
            }
            NlWriter w = new NlWriter(256);
            assertThat(ActionCodec.putActions(w, stored.buffer(), 0, stored.position())).isZero();
            assertThat(ActionCodec.replySize(stored.buffer(), 0, stored.position())).isEqualTo(w.position());
            assertThat(Wire.hex(w.buffer(), 0, w.position()))
                    .as("reply ACTIONS")
                    .isEqualTo(Wire.hex(reply, ra, NlAttr.align(NlAttr.len(reply, ra))));
        }
    }

    /**
     * The same verdict and stored form with the masked key of the real {@link KeyParser} (key AND mask,
     * as {@code ovs_flow_mask_key} makes it), when the parser accepts the request's match.
     */
    private static void crossCheckWithKeyParser(byte[] req, int acts, ActionCaller caller, int err, NlWriter stored) {
        FlowKey key = new FlowKey();
        FlowKey mask = new FlowKey();
        if (attr(req, FlowAttr.KEY) < 0
                || new KeyParser().parseMatch(req, attr(req, FlowAttr.KEY), attr(req, FlowAttr.MASK), key, mask,
                        KernelLog.NONE) != 0) {
            return;
        }
        for (int i = 0; i < FlowKey.WORDS; i++) {
            key.words()[i] &= mask.words()[i];
        }
        NlWriter again = new NlWriter(256);
        int err2 = ActionCodec.copyActions(req, acts + 4, NlAttr.len(req, acts) - 4, key, again, KernelLog.NONE,
                caller);
        assertThat(err2).as("verdict with KeyParser's masked key").isEqualTo(err);
        assertThat(Wire.hex(again.buffer(), 0, again.position()))
                .isEqualTo(Wire.hex(stored.buffer(), 0, stored.position()));
    }

    @Test
    void everyActionErrorStepOfTheVectorsIsExercised() {
        long n = load("flow_errors").stream()
                .filter(s -> s.request().length >= ATTRS && attr(s.request(), FlowAttr.ACTIONS) >= 0)
                .filter(s -> isActionErrorStep(s.step()))
                .count();
        assertThat(n).isEqualTo(28); // 076..104 but the flush 102
    }

    /**
     * A test-only reader of the few key fields action validation looks at, masked as the kernel masks
     * them: ether type, mac_proto and VLAN TCI are always exact; IP proto and frag, MPLS label count and
     * NSH next protocol follow the MASK attribute (exact when there is none).
     */
    static final class KeyReader {
        int ethType = -1;
        boolean ethernet;
        int vlanTci;
        int ipProto;
        int ipFrag;
        int mplsLabels;
        int nshNp;

        static FlowKey maskedKey(byte[] msg, int keyAttr, int maskAttr) {
            KeyReader k = new KeyReader();
            if (keyAttr >= 0) { // a request without KEY is refused before its actions are looked at
                k.read(msg, keyAttr + 4, NlAttr.len(msg, keyAttr) - 4, true);
            }
            KeyReader m = new KeyReader();
            if (maskAttr >= 0) {
                m.read(msg, maskAttr + 4, NlAttr.len(msg, maskAttr) - 4, true);
            } else {
                m.ipProto = 0xff;
                m.ipFrag = 0xff;
                m.mplsLabels = k.mplsLabels;
                m.nshNp = 0xff;
            }
            FlowKey key = new FlowKey();
            int ethType = k.ethType >= 0 ? k.ethType : (k.ethernet ? 0x0004 : 0); // ETH_P_802_2
            key.u16(FlowKey.ETH_TYPE_OFFSET, ethType);
            key.u8(FlowKey.MAC_PROTO_OFFSET, k.ethernet ? FlowKey.MAC_PROTO_ETHERNET : FlowKey.MAC_PROTO_NONE);
            key.u16(FlowKey.VLAN_TCI_OFFSET, k.vlanTci);
            key.u8(FlowKey.IP_PROTO_OFFSET, k.ipProto & m.ipProto);
            key.u8(FlowKey.IP_FRAG_OFFSET, k.ipFrag & m.ipFrag);
            key.u32(FlowKey.MPLS_LABELS_MASK_OFFSET, k.mplsLabels & m.mplsLabels);
            key.u8(FlowKey.NSH_NP_OFFSET, k.nshNp & m.nshNp);
            return key;
        }

        void read(byte[] b, int off, int len, boolean outer) {
            int p = off;
            int end = off + len;
            int encap = -1;
            while (p + 4 <= end) {
                int l = NlAttr.len(b, p);
                if (l < 4 || p + l > end) {
                    break;
                }
                int d = p + 4;
                switch (NlAttr.type(b, p)) {
                    case KeyAttr.ETHERNET -> ethernet = true;
                    case KeyAttr.ETHERTYPE -> {
                        if (outer || ethType < 0) {
                            ethType = Wire.be16(b, d);
                        }
                    }
                    case KeyAttr.VLAN -> {
                        if (outer) {
                            vlanTci = Wire.be16(b, d);
                        }
                    }
                    case KeyAttr.ENCAP -> encap = p;
                    case KeyAttr.IPV4 -> {
                        ipProto = Wire.u8(b, d + 8);
                        ipFrag = Wire.u8(b, d + 11);
                    }
                    case KeyAttr.IPV6 -> {
                        ipProto = Wire.u8(b, d + 36);
                        ipFrag = Wire.u8(b, d + 39);
                    }
                    case KeyAttr.ARP -> ipProto = Wire.be16(b, d + 8) & 0xff;
                    case KeyAttr.MPLS -> mplsLabels = (1 << Math.min(3, (l - 4) / 4)) - 1;
                    case KeyAttr.NSH -> {
                        if (l >= 16 && NlAttr.type(b, d) == 1) {
                            nshNp = Wire.u8(b, d + 4 + 3);
                        }
                    }
                    default -> {
                    }
                }
                p += NlAttr.align(l);
            }
            boolean vlan = ethType == 0x8100 || ethType == 0x88a8;
            if (outer && vlan && encap >= 0 && (vlanTci & 0x1000) != 0) {
                // The key's type is the encapsulated one; the outer TCI stays.
                int tpid = ethType;
                ethType = -1;
                read(b, encap + 4, NlAttr.len(b, encap) - 4, false);
                if (ethType < 0) {
                    ethType = tpid;
                }
            }
        }
    }

    /** A log that collects lines, for tests that look at them. */
    static KernelLog collect(List<String> lines) {
        return lines::add;
    }
}
