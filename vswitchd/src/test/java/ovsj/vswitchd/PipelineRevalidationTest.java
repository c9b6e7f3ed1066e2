package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.vswitchd.XlateTestFlows.canonical;
import static ovsj.vswitchd.XlateTestFlows.describe;
import static ovsj.vswitchd.XlateTestFlows.eth;
import static ovsj.vswitchd.XlateTestFlows.ip;
import static ovsj.vswitchd.XlateTestFlows.ipv4;
import static ovsj.vswitchd.XlateTestFlows.keyBytes;
import static ovsj.vswitchd.XlateTestFlows.mac;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import ovsj.odp.FlowKey;
import ovsj.odp.Ufid;

class PipelineRevalidationTest {
    static final long A = mac("02:00:00:00:00:0a");
    static final long B = mac("02:00:00:00:00:0b");

    final AtomicLong clock = new AtomicLong(1000);
    final MegaflowBuilder mb = new MegaflowBuilder(5);

    /** What a handler would install for {@code k}. */
    Ukey ukey(Pipeline p, FlowKey k, boolean withTag) {
        FlowKey flow = canonical(k);
        Xlate x = new Xlate();
        x.start(flow, clock.get(), true);
        p.translate(x);
        byte[] key = keyBytes(flow);
        FlowKey m = new FlowKey();
        byte[] mask = mb.buildMask(key, 0, key.length, flow, x.wildcards(), m);
        assertThat(mask).isNotNull();
        return new Ukey(Ufid.of(mb.ufid(key, 0, key.length), 0, 16), key, mask, x.actions(), clock.get(), 1,
                withTag ? new Megaflow(p.revision(), flow, x.normalUsed()) : null);
    }

    static String actions(Revalidator.Result r) {
        return r.kind() + (r.actions() == null ? "" : " " + describe(r.actions()));
    }

    @Test
    void learningTurnsAFloodIntoAnOutput() {
        PipelineNormal normal = new PipelineNormal();
        normal.setPorts(1, 2, 3);
        PipelineRevalidation reval = new PipelineRevalidation(normal, clock::get);
        Ukey ab = ukey(normal, eth(1, A, B, 0x0800), true);
        assertThat(describe(ab.actions())).isEqualTo("2,3");
        assertThat(reval.revalidate(ab)).isEqualTo(Revalidator.Result.KEEP);

        ukey(normal, eth(3, B, A, 0x0800), true); // B learned on 3
        Revalidator.Result r = reval.revalidate(ab);
        assertThat(actions(r)).isEqualTo("MODIFY 3");
        ab.setActions(r.actions()); // as the revalidator records it
        assertThat(normal.macLearning().size()).as("revalidation learns nothing").isEqualTo(2);

        clock.addAndGet(301_000); // everything aged out
        assertThat(actions(reval.revalidate(ab))).isEqualTo("MODIFY 2,3");
    }

    @Test
    void aNarrowerMaskDeletesOtherChangesModify() throws Exception {
        PipelineNormal normal = new PipelineNormal();
        normal.setPorts(1, 2, 3);
        PipelineRules rules = new PipelineRules(RulesParser.parse("priority=1,actions=output:2", "t"), normal);
        PipelineRevalidation reval = new PipelineRevalidation(rules, clock::get);
        Ukey u = ukey(rules, ipv4(1, A, B, ip("10.0.0.1"), ip("10.1.0.1"), 6, 1000, 80), true);
        Ukey adopted = ukey(rules, ipv4(1, A, B, ip("10.0.0.1"), ip("10.1.0.1"), 6, 1000, 80), false);

        rules.replace(RulesParser.parse("priority=1,actions=output:3", "t"));
        assertThat(actions(reval.revalidate(u))).isEqualTo("MODIFY 3");
        assertThat(actions(reval.revalidate(adopted))).as("no tag: from the key and mask attributes")
                .isEqualTo("MODIFY 3");
        assertThat(adopted.tag()).isInstanceOf(Megaflow.class);

        rules.replace(RulesParser.parse("priority=9,tcp,tp_dst=22,actions=drop\npriority=1,actions=output:2", "t"));
        assertThat(actions(reval.revalidate(u))).as("tp_dst must now be matched: the flow is too wide")
                .isEqualTo("DELETE");

        // A flow installed under the narrower table keeps when the table widens again.
        Ukey narrow = ukey(rules, ipv4(1, A, B, ip("10.0.0.1"), ip("10.1.0.1"), 6, 1000, 80), true);
        rules.replace(RulesParser.parse("priority=1,actions=output:2", "t"));
        assertThat(reval.revalidate(narrow)).isEqualTo(Revalidator.Result.KEEP);
    }

    @Test
    void pushedStatsRefreshLearningOnlyThroughNormal() throws Exception {
        PipelineNormal normal = new PipelineNormal();
        normal.setPorts(1, 2, 3);
        PipelineRules rules = new PipelineRules(RulesParser.parse(
                "priority=2,arp,actions=normal\npriority=1,actions=output:2", "t"), normal);
        PipelineRevalidation reval = new PipelineRevalidation(rules, clock::get);
        Ukey viaNormal = ukey(rules, XlateTestFlows.arp(1, A, B, 1, 1, 2), true);
        Ukey direct = ukey(rules, eth(3, B, A, 0x0800), true);
        MacLearning ml = rules.macLearning();
        assertThat(ml.lookup(B, 0, clock.get())).as("output:2 does not learn").isEqualTo(-1);

        clock.addAndGet(200_000);
        reval.pushStats(viaNormal, 10, 600, 0, clock.get());
        reval.pushStats(direct, 10, 600, 0, clock.get());
        clock.addAndGet(200_000);
        assertThat(ml.lookup(A, 0, clock.get())).as("refreshed 200 s ago").isEqualTo(1);
        assertThat(ml.lookup(B, 0, clock.get())).isEqualTo(-1);
    }
}
