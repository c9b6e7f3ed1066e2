package ovsj.datapath.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.netlink.testing.KernelVectors;
import ovsj.netlink.testing.KernelVectors.Datagram;
import ovsj.netlink.testing.KernelVectors.Exchange;

/** The harness itself: it must see differences, not only agree. */
class KernelReplayTest {
    private static Exchange withReplies(Exchange x, List<byte[]> replies, List<Datagram> datagrams) {
        return new Exchange(x.scenario(), x.step(), x.description(), x.kind(), x.family(), x.request(), replies,
                datagrams, x.error(), x.errorName(), x.extAck(), x.doneError(), x.klog(), x.requestSubstitutions(),
                x.packet(), x.ifname(), x.info());
    }

    private static KernelReplay replay(List<Exchange> xs) {
        List<String> lines = new ArrayList<>();
        return new KernelReplay("dp", xs, new OvsDatapath(1, DumpMode.SERIALIZE, lines::add), lines).checkKlog(true);
    }

    @Test
    void aChangedByteIsReportedWithItsOffsetAndBothContexts() {
        List<Exchange> xs = new ArrayList<>(KernelVectors.load("dp").subList(0, 3));
        Exchange get = xs.get(2); // 003-get-by-name: GET reply + ACK
        List<byte[]> replies = new ArrayList<>(get.replies());
        byte[] r = replies.get(0);
        r[r.length - 4] ^= 1; // MASKS_CACHE_SIZE 256 -> 257
        replies.set(0, r);
        xs.set(2, withReplies(get, replies, get.datagrams()));
        List<KernelReplay.StepResult> res = replay(xs).runAll();
        assertThat(res.get(0).status()).isEqualTo(KernelReplay.Status.PASSED);
        KernelReplay.StepResult bad = res.get(2);
        assertThat(bad.status()).isEqualTo(KernelReplay.Status.FAILED);
        assertThat(bad.toString()).contains("dp/003-get-by-name", "message 1/2", "OVS_DP_CMD_GET differs at byte "
                + (r.length - 4), "attribute type 7 +0", "expected[", "actual  [");
    }

    @Test
    void errorsGroupingAndKlogAreCompared() {
        List<Exchange> xs = new ArrayList<>(KernelVectors.load("dp").subList(0, 3));
        Exchange get = xs.get(2);
        // Both messages claimed in one datagram: a grouping difference.
        xs.set(2, withReplies(get, get.replies(), List.of(new Datagram(156, 2, false))));
        // 002-new-dup: an expected ENOENT instead of EEXIST.
        Exchange dup = xs.get(1);
        byte[] err = dup.replies().get(0);
        Wire.putU32(err, 16, -2);
        xs.set(1, withReplies(dup, List.of(err), dup.datagrams()));
        List<KernelReplay.StepResult> res = replay(xs).runAll();
        assertThat(res.get(1).message()).contains("expected NLMSG_ERROR ENOENT(-2), got NLMSG_ERROR EEXIST(-17)");
        assertThat(res.get(2).message()).contains("grouping: messages per datagram expected [2], got [1, 1]");

        // 001-new logs "device dp0 entered promiscuous mode": a replay whose datapath logs nothing differs.
        Exchange nw = KernelVectors.load("dp").get(0);
        KernelReplay quiet = new KernelReplay("dp", List.of(nw), new OvsDatapath(1, DumpMode.SERIALIZE), new ArrayList<>())
                .checkKlog(true);
        assertThat(quiet.runAll().get(0).message()).startsWith("klog: expected [device dp0 entered promiscuous mode], got []");
    }

    @Test
    void injectStepsAreReplayedAndIfupStepsSkippedAndCounted() {
        KernelReplay r = KernelReplay.fresh("packet");
        List<KernelReplay.StepResult> res = r.runAll();
        assertThat(res.stream().filter(x -> x.status() == KernelReplay.Status.SKIPPED)).hasSize(2);
        assertThat(r.summary()).contains("36 steps", "34 passed", "2 skipped (not replayed: 0 inject, 2 ifup)");
        // EXECUTE's checks answer as the kernel does (024..027).
        for (String step : new String[] {"022-execute-output", "024-execute-no-packet", "025-execute-short-packet",
            "026-execute-no-key", "027-execute-bad-dp"}) {
            assertThat(res.stream().filter(x -> x.step().equals(step)).findFirst().orElseThrow().status())
                    .as(step).isEqualTo(KernelReplay.Status.PASSED);
        }
    }

    @Test
    void batchingViolationsAreFound() {
        byte[] msg = new byte[20000];
        Wire.putU32(msg, 0, msg.length);
        Wire.putU16(msg, 4, 0x7f01);
        byte[] done = new byte[20];
        Wire.putU32(done, 0, 20);
        Wire.putU16(done, 4, NlMsgHdr.NLMSG_DONE);
        ReplayCompare.Frame one = new ReplayCompare.Frame(20000, List.of(msg), null);
        ReplayCompare.Frame fin = new ReplayCompare.Frame(20, List.of(done), null);
        assertThat(ReplayCompare.batching(List.of(one, one, fin), false, m -> false)).isEmpty();
        assertThat(ReplayCompare.batching(List.of(one, new ReplayCompare.Frame(20020, List.of(msg, done), null)),
                false, m -> false)).anyMatch(s -> s.startsWith("NLMSG_DONE is not alone"));
        byte[] small = new byte[100];
        Wire.putU32(small, 0, 100);
        ReplayCompare.Frame s = new ReplayCompare.Frame(100, List.of(small), null);
        assertThat(ReplayCompare.batching(List.of(s, s, fin), false, m -> false))
                .anyMatch(v -> v.startsWith("datagram 1 of 3 not full"));
        assertThat(ReplayCompare.batching(List.of(one), false, m -> false))
                .containsExactly("no NLMSG_DONE / NLMSG_ERROR ended the dump");
    }

    @Test
    void onlyTheSocketsPortidIsNormalised() {
        ReplayNormalizer n = new ReplayNormalizer(Map.of(0x21, "ovs_vport", 0x10, "nlctrl"), 100);
        byte[] m = new byte[36];
        Wire.putU32(m, 0, 36);
        Wire.putU16(m, 4, 0x21);
        Wire.putU32(m, 8, 5);
        Wire.putU32(m, 12, 100);
        m[16] = 3; // OVS_VPORT_CMD_GET
        Wire.putU32(m, 20, 8); // dp_ifindex
        Wire.putU16(m, 24, 12);
        Wire.putU16(m, 26, 5); // UPCALL_PID [100, 7]
        Wire.putU32(m, 28, 100);
        Wire.putU32(m, 32, 7);
        byte[] out = n.normalize(m, "-", 5);
        assertThat(Wire.u16(out, 4)).isEqualTo(0x7f02);
        assertThat(Wire.u32(out, 8)).isEqualTo(ReplayNormalizer.SEQ_TOKEN);
        assertThat(Wire.u32(out, 12)).isEqualTo(ReplayNormalizer.PID_TOKEN);
        assertThat(Wire.u32(out, 20)).isZero();
        assertThat(Wire.u32(out, 28)).isEqualTo(ReplayNormalizer.PID_TOKEN);
        assertThat(Wire.u32(out, 32)).isEqualTo(7);
        // Another seq is kept as it is: it must mean the request's.
        assertThat(Wire.u32(n.normalize(m, "-", 6), 8)).isEqualTo(5);
    }
}
