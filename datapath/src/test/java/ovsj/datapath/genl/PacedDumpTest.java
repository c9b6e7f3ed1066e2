package ovsj.datapath.genl;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.genl.FamilyClient.ACK;
import static ovsj.datapath.genl.FamilyClient.DUMP;
import static ovsj.datapath.genl.FamilyClient.error;

import java.util.ArrayList;
import java.util.List;

import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowCmd;
import org.junit.jupiter.api.Test;

/**
 * Paced dumps (the kernel's: a batch per read): the request gives the first batch, each continuation
 * the next, NLMSG_DONE ends it; the datagrams are those of a dump run to its end at once; a second
 * dump on the socket meanwhile is refused with EBUSY, and other requests are served in between.
 */
class PacedDumpTest {
    private static List<String> hex(List<byte[]> datagrams) {
        return datagrams.stream().map(FamilyClient::hexWithoutSeq).toList();
    }

    @Test
    void aPacedDumpGivesOneBatchPerReadAndTheSameBytes() throws Exception {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", 0);
        MatchCacheDumpTest.addFlows(c, dp);
        List<byte[]> whole = c.datagrams(Families.FLOW_FAMILY, FlowCmd.GET, DUMP, dp, w -> { });
        assertThat(whole.size()).isGreaterThan(10);

        c.conn.pacedDumps(true);
        List<byte[]> paced = new ArrayList<>(c.datagrams(Families.FLOW_FAMILY, FlowCmd.GET, DUMP, dp, w -> { }));
        assertThat(paced).hasSize(1);
        assertThat(c.conn.dumpPending()).isTrue();

        // Meanwhile: another dump is refused, a doit is answered.
        List<byte[]> busy = c.send(Families.FLOW_FAMILY, FlowCmd.GET, DUMP, dp, w -> { });
        assertThat(error(busy)).isEqualTo(-16);
        assertThat(error(c.send(Families.DATAPATH_FAMILY, DpCmd.GET, ACK, dp, w -> { }))).isZero();

        while (c.conn.dumpPending()) {
            List<byte[]> next = c.conn.continueDump();
            assertThat(next).hasSize(1);
            paced.addAll(next);
        }
        assertThat(c.conn.continueDump()).isEmpty();
        assertThat(hex(paced)).containsExactlyElementsOf(hex(whole));
    }
}
