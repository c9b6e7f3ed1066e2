package ovsj.datapath.genl;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.datapath.genl.FamilyClient.ACK;
import static ovsj.datapath.genl.FamilyClient.DUMP;
import static ovsj.datapath.genl.FamilyClient.error;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ovsj.datapath.DumpMode;
import ovsj.netlink.NlWriter;
import ovsj.odp.text.OdpActionsParse;
import ovsj.odp.text.OdpFlowParse;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.UfidFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed's match cache is invisible on the wire: whatever the first dump of a flow asks for (terse or
 * full, in a batch with room or not), every dump in match-cache mode gives the bytes a serializing
 * datapath gives, and the look-ahead that touches flows ahead of the cursor changes nothing either.
 */
class MatchCacheDumpTest {
    static final int FLOWS = 3000; // about 35 batches of full flow messages
    static final int TERSE = UfidFlags.OMIT_KEY | UfidFlags.OMIT_MASK | UfidFlags.OMIT_ACTIONS;

    static void addFlows(FamilyClient c, int dp) throws Exception {
        for (int i = 0; i < FLOWS; i++) {
            int n = i;
            NlWriter key = new NlWriter(256);
            NlWriter mask = new NlWriter(256);
            OdpFlowParse.parse("in_port(1),eth(),eth_type(0x0800),ipv4(src=10." + (n >> 16) + "." + ((n >> 8) & 255)
                    + "." + (n & 255) + ",proto=17),udp(dst=53)", null, key, mask);
            NlWriter acts = new NlWriter(64);
            OdpActionsParse.parse(n % 3 == 0 ? "set(ipv4(ttl=9)),2" : "2", null, acts);
            List<byte[]> r = c.send(Families.FLOW_FAMILY, FlowCmd.NEW, ACK, dp, w -> {
                int k = w.beginNest(FlowAttr.KEY);
                w.putRaw(key.buffer(), 0, key.position());
                w.endNest(k);
                int m = w.beginNest(FlowAttr.MASK);
                w.putRaw(mask.buffer(), 0, mask.position());
                w.endNest(m);
                int a = w.beginNest(FlowAttr.ACTIONS);
                w.putRaw(acts.buffer(), 0, acts.position());
                w.endNest(a);
                if (n % 5 != 0) { // some flows are identified by their key instead
                    FamilyClient.u32s(w, FlowAttr.UFID, n, 0x5eed, n * 7, 0xc0ffee);
                }
            });
            assertThat(error(r)).as("flow %d", n).isZero();
        }
    }

    /** One dump's messages, their sequence numbers zeroed (each dump request has its own). */
    private static List<String> dump(FamilyClient c, int dp, int ufidFlags) {
        return FamilyClient.assertFullBatches(c.datagrams(Families.FLOW_FAMILY, FlowCmd.GET, DUMP, dp, w -> {
            if (ufidFlags != 0) {
                w.putU32(FlowAttr.UFID_FLAGS, ufidFlags);
            }
        })).stream().map(FamilyClient::hexWithoutSeq).toList();
    }

    /**
     * Whatever kind the first dump in match-cache mode is (terse: the caches are built but are not
     * what it sends; full: what it sends is what it keeps), every dump after it gives the bytes of a
     * serializing datapath.
     */
    @ParameterizedTest
    @ValueSource(ints = {TERSE, 0, UfidFlags.OMIT_MASK})
    void everyDumpInMatchCacheModeGivesTheSerializedBytes(int firstFlags) throws Exception {
        FamilyClient c = new FamilyClient(1);
        int dp = c.newDp("dp0", 0);
        addFlows(c, dp);
        int[] kinds = {0, TERSE, UfidFlags.OMIT_MASK};
        Map<Integer, List<String>> serialized = new HashMap<>();
        for (int k : kinds) {
            serialized.put(k, dump(c, dp, k));
        }
        assertThat(serialized.get(0)).hasSize(FLOWS);

        c.ovs.setDumpMode(DumpMode.MATCH_CACHE);
        assertThat(dump(c, dp, firstFlags)).containsExactlyElementsOf(serialized.get(firstFlags));
        assertThat(c.ovs.net().datapath(dp).matchCacheBytes.get()).isGreaterThan(FLOWS * 100L);
        for (int round = 0; round < 2; round++) {
            for (int k : kinds) {
                assertThat(dump(c, dp, k)).as("flags %d, round %d", k, round)
                        .containsExactlyElementsOf(serialized.get(k));
            }
        }
    }
}
