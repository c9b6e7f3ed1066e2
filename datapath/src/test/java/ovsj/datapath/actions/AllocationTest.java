package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;

/** The common path (sets, push/pop, dec_ttl, hash, a last output) allocates nothing per packet. */
class AllocationTest {
    /** A datapath whose output just counts. */
    static final class CountingContext implements ActionContext {
        long outputs;

        @Override
        public void output(Packet p, int portNo, FlowKey key) {
            outputs++;
        }

        @Override
        public int userspace(Packet p, FlowKey key, UpcallInfo info) {
            return 0;
        }

        @Override
        public void recirc(Packet p, FlowKey key, int recircId) {
        }

        @Override
        public int flowKeyUpdate(Packet p, FlowKey key) {
            return 0;
        }
    }

    @Test
    void theCommonPathAllocatesNothingPerPacket() {
        assertThat(ManagementFactory.getThreadMXBean())
                .as("this JVM must count allocated bytes per thread (com.sun.management.ThreadMXBean)")
                .isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadAllocatedMemorySupported()).as("thread allocation accounting").isTrue();

        byte[] frame = Frames.eth4(Frames.TCP, 1000, 80, 64);
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.setIpv4Dst(w, 0x0a0000fe);
            Acts.set(w, KeyAttr.TCP, Acts.keyPorts(2000, 8080));
            Acts.set(w, KeyAttr.ETHERNET, Frames.cat(Frames.MAC_B, Frames.MAC_A));
            PushPopTest.pushVlan(w, 0x8100, 0x1005);
            w.putFlag(ActionAttr.POP_VLAN);
            PushPopTest.pushMpls(w, 0x00001140, 0x8847);
            w.putBe16(ActionAttr.POP_MPLS, 0x0800);
            NestedActionsTest.decTtl(w, x -> x.putU32(ActionAttr.OUTPUT, 9));
            w.putU64(ActionAttr.HASH, 0);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ActionExecutor ex = new ActionExecutor();
        CountingContext ctx = new CountingContext();
        int n = 20000;
        for (int i = 0; i < n; i++) {
            runOnce(p, frame, acts, ex, ctx);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            runOnce(p, frame, acts, ex, ctx);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(ctx.outputs).isEqualTo(2L * n);
        assertThat(allocated).as("bytes allocated for %d packets", n).isLessThan(n);
    }

    private static void runOnce(Packet p, byte[] frame, byte[] acts, ActionExecutor ex, CountingContext ctx) {
        p.wrap(frame, 0, frame.length, 1);
        Frames.extract(p, p.key, true, 0);
        ex.execute(p, p.key, acts, 0, acts.length, ctx);
    }
}
