package ovsj.netlink.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.testing.KernelVectors.Exchange;

class KernelVectorsTest {

    @Test
    void theVectorsFolderComesFromTheSurefireProperty() {
        assertThat(System.getProperty(KernelVectors.PROPERTY)).isNotBlank().doesNotContain("${");
        assertThat(KernelVectors.root()).isDirectory();
        assertThat(KernelVectors.kernelDir().resolve("run-info.json")).isRegularFile();
    }

    @Test
    void familyIdsComeFromRunInfo() {
        assertThat(KernelVectors.familyIds())
                .containsEntry("ovs_datapath", 32).containsEntry("ovs_vport", 33)
                .containsEntry("ovs_flow", 34).containsEntry("ovs_packet", 35);
        assertThat(KernelVectors.familyId("ovs_flow")).isEqualTo(34);
        assertThatThrownBy(() -> KernelVectors.familyId("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(KernelVectors.portId()).isEqualTo(100);
        assertThat(KernelVectors.datapathIfindexes()).containsEntry("dp0", 2).containsEntry("dpi", 500);
    }

    @Test
    void everyScenarioHasTheExchangeCountRunInfoAnnounces() {
        assertThat(KernelVectors.scenarios()).startsWith("ctrl", "dp", "vport").hasSize(10);
        int total = 0;
        for (String s : KernelVectors.scenarios()) {
            List<Exchange> xs = KernelVectors.load(s);
            assertThat(xs).as(s).hasSize(KernelVectors.runInfo().path("scenarios").path(s).path("exchanges").intValue());
            assertThat(xs).allSatisfy(x -> assertThat(x.scenario()).isEqualTo(s));
            total += xs.size();
        }
        assertThat(total).isEqualTo(1449).isEqualTo(KernelVectors.runInfo().path("total_exchanges").intValue());
        assertThat(KernelVectors.loadAll()).hasSize(1449);
    }

    @Test
    void repliesAreWholeMessagesSplitIntoTheRecordedDatagrams() {
        for (Exchange x : KernelVectors.loadAll()) {
            int bytes = 0;
            for (byte[] r : x.replies()) {
                assertThat(NlMsgHdr.len(r, 0)).as(x.toString()).isEqualTo(r.length);
                bytes += NlMsgHdr.align(r.length);
            }
            int msgs = x.datagrams().stream().mapToInt(KernelVectors.Datagram::nMsgs).sum();
            assertThat(msgs).as(x.toString()).isEqualTo(x.replies().size());
            assertThat(x.datagrams().stream().mapToInt(KernelVectors.Datagram::len).sum())
                    .as(x.toString()).isBetween(bytes - 3 * x.replies().size(), bytes);
        }
    }

    @Test
    void fieldsOfAnErrorStep() {
        Exchange x = KernelVectors.step("dp", "014");
        assertThat(x.step()).isEqualTo("014-new-ifindex-neg");
        assertThat(x.kind()).isEqualTo("request");
        assertThat(x.family()).isEqualTo("ovs_datapath");
        assertThat(x.requestType()).isEqualTo(32);
        assertThat(x.error()).isEqualTo(-34);
        assertThat(x.errorName()).isEqualTo("ERANGE");
        assertThat(x.extAck().msg()).isEqualTo("integer out of range");
        assertThat(x.extAck().offs()).isEqualTo(40);
        assertThat(x.extAck().policy()).hasSize(32);
        assertThat(x.errorReply()).isNotNull();
        assertThat(x.replyOfType(32)).isNull();
        assertThat(x.toString()).isEqualTo("dp/014-new-ifindex-neg");
    }

    @Test
    void fieldsOfADumpAndOfAnIfupStep() {
        Exchange dump = KernelVectors.load("flow_dump").stream().filter(e -> e.doneError() != null).findFirst().orElseThrow();
        assertThat(dump.isDump()).isTrue();
        assertThat(dump.doneReply()).isNotNull();
        assertThat(dump.repliesOfType(34)).allSatisfy(r -> assertThat(NlMsgHdr.type(r, 0)).isEqualTo(34));

        Exchange up = KernelVectors.step("packet", "004");
        assertThat(up.kind()).isEqualTo("ifup");
        assertThat(up.hasRequest()).isFalse();
        assertThat(up.request()).isNull();
        assertThat(up.replies()).isEmpty();
        assertThat(up.error()).isNull();
        assertThat(up.info()).containsExactly("up pk1 ifindex 26");
    }

    @Test
    void exchangesAreImmutable() {
        Exchange x = KernelVectors.step("dp", "014");
        x.request()[0] = 0;
        x.replies().get(0)[0] = 0;
        assertThat(x.request()[0]).isEqualTo((byte) 48);
        assertThat(NlMsgHdr.len(x.replies().get(0), 0)).isEqualTo(x.replies().get(0).length);
        assertThatThrownBy(() -> x.replies().add(new byte[0])).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> x.klog().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
