package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ovsj.vswitchd.XlateTestFlows.describe;
import static ovsj.vswitchd.XlateTestFlows.eth;
import static ovsj.vswitchd.XlateTestFlows.ip;
import static ovsj.vswitchd.XlateTestFlows.ipv4;
import static ovsj.vswitchd.XlateTestFlows.keyBytes;
import static ovsj.vswitchd.XlateTestFlows.mac;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.Ufid;
import ovsj.odp.dpif.NetlinkChannel;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.PacketCmd;

class HandlerTest {
    static final long A = mac("02:00:00:00:00:0a");
    static final long B = mac("02:00:00:00:00:0b");

    HandlerFakeDatapath dp;
    Udpif udpif;
    PipelineNormal normal;
    Upcalls upcalls;
    Handler handler;
    final AtomicLong clock = new AtomicLong(1_000);

    /** A scripted upcall socket: datagrams in, null when empty, EOF once ended and empty. */
    static final class Upcalls implements HandlerSocket, NetlinkChannel {
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        boolean ended;

        synchronized void add(byte[] d) {
            queue.add(d);
        }

        @Override
        public synchronized NetlinkChannel.Datagram receive(long timeoutMs) throws IOException {
            return poll();
        }

        @Override
        public synchronized NetlinkChannel.Datagram poll() throws IOException {
            byte[] d = queue.poll();
            if (d == null && ended) {
                throw new EOFException("ended");
            }
            return d == null ? null : new NetlinkChannel.Datagram(d, 0, d.length);
        }

        @Override
        public synchronized Datagram receive() throws IOException {
            byte[] d = queue.poll();
            if (d == null) {
                throw new EOFException("ended");
            }
            return new Datagram(d, 0, d.length);
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int portId() {
            return 1234;
        }

        @Override
        public void close() {
        }
    }

    /** An upcall message as the datapath sends it ({@code queue_userspace_packet}). */
    static byte[] upcall(int cmd, FlowKey k, int packetLen) {
        NlWriter w = new NlWriter(512);
        int m = w.beginMessage(HandlerFakeDatapath.PACKET_FAMILY, 0, 0, 0);
        w.putGenlHeader(cmd, 1);
        w.putRawU32(HandlerFakeDatapath.DP_IFINDEX);
        byte[] pkt = new byte[packetLen];
        ovsj.netlink.Wire.putBe48(pkt, 0, XlateField.DL_DST.get(k));
        ovsj.netlink.Wire.putBe48(pkt, 6, XlateField.DL_SRC.get(k));
        w.putBytes(PacketAttr.PACKET, pkt);
        w.putBytes(PacketAttr.KEY, keyBytes(k));
        if (cmd == PacketCmd.ACTION) {
            w.putBytes(PacketAttr.USERDATA, new byte[] {1, 2, 3, 4});
        }
        w.putU64(PacketAttr.HASH, 0x1234);
        w.endMessage(m);
        return w.toByteArray();
    }

    static byte[] miss(FlowKey k) {
        return upcall(PacketCmd.MISS, k, 64);
    }

    @BeforeEach
    void setUp() throws IOException {
        dp = new HandlerFakeDatapath();
        udpif = new Udpif("system@dp0", HandlerFakeDatapath.DP_IFINDEX, dp::dpif, new Coverage()).clock(clock::get);
        normal = new PipelineNormal();
        normal.setPorts(1, 2, 3);
        normal.onChange(udpif::revalidate);
        upcalls = new Upcalls();
        handler = new Handler(0, upcalls, dp.dpif(), udpif, normal, new MegaflowBuilder(42));
    }

    @AfterEach
    void tearDown() throws IOException {
        udpif.close();
    }

    @Test
    void aBatchInstallsThenExecutes() throws IOException {
        FlowKey ab = eth(1, A, B, 0x0800);
        upcalls.add(miss(ab));
        upcalls.add(miss(eth(2, B, A, 0x0800)));
        upcalls.add(miss(ab)); // same key: same UFID, a duplicate upcall
        long seq0 = udpif.revalSeq();

        assertThat(handler.recvUpcalls(0)).isEqualTo(3);
        assertThat(handler.batches()).isEqualTo(1);
        assertThat(handler.lastBatchSize()).isEqualTo(3);
        assertThat(dp.ops).containsExactly("DP_GET", "NEW 2,3", "NEW 1", "EXECUTE 2,3", "EXECUTE 1", "EXECUTE 2");
        assertThat(dp.datagramsWithNew).as("the puts of a batch are pipelined").containsExactly(2);
        assertThat(handler.flowsInstalled()).isEqualTo(2);
        assertThat(handler.duplicates()).isEqualTo(1);
        assertThat(handler.executed()).isEqualTo(3);
        assertThat(udpif.ukeys().size()).isEqualTo(2);
        assertThat(udpif.revalSeq()).as("learning A and B asked for revalidation").isGreaterThan(seq0);

        HandlerFakeDatapath.Flow f = dp.flows.get(0);
        assertThat(f.key()).isEqualTo(keyBytes(ab));
        assertThat(f.ufid()).hasSize(16);
        assertThat(f.ufid()[5] & 0xf0).as("UUID version 4").isEqualTo(0x40);
        assertThat(f.ufid()[11] & 0xc0).as("variant 10").isEqualTo(0x80);
        assertThat(XlateField.DL_DST.get(f.maskBits())).isEqualTo(0xffffffffffffL);
        assertThat(XlateField.NW_SRC.get(f.maskBits())).isZero();
        Ukey u = udpif.ukeys().find(Ufid.of(f.ufid(), 0, 16));
        assertThat(u).isNotNull();
        assertThat(u.state()).isEqualTo(Ukey.State.OPERATIONAL);
        assertThat(u.key()).isEqualTo(f.key());
        assertThat(u.mask()).isEqualTo(f.mask());
        assertThat(describe(u.actions())).isEqualTo("2,3");
        assertThat(u.revalSeq()).isEqualTo(seq0);
        assertThat(u.created()).isEqualTo(1_000);
        assertThat(u.tag()).isInstanceOf(Megaflow.class);
        assertThat(((Megaflow) u.tag()).normalUsed()).isTrue();
        assertThat(((Megaflow) u.tag()).inPort()).isEqualTo(1);

        HandlerFakeDatapath.Exec e = dp.execs.get(0);
        assertThat(e.key()).isEqualTo(keyBytes(ab));
        assertThat(e.packet()).hasSize(64);
    }

    @Test
    void batchesHoldAtMost64() throws IOException {
        for (int i = 0; i < 70; i++) {
            upcalls.add(miss(eth(1, 0x020000010000L + i, B, 0x0800)));
        }
        assertThat(handler.recvUpcalls(0)).isEqualTo(64);
        assertThat(handler.recvUpcalls(0)).isEqualTo(6);
        assertThat(handler.recvUpcalls(0)).isZero();
        assertThat(handler.batches()).isEqualTo(2);
        assertThat(dp.datagramsWithNew).containsExactly(64, 6);
        assertThat(dp.newFlowCount()).isEqualTo(70);
        assertThat(dp.execs).as(String.join("\n", dp.ops) + handler.executeFailures()).hasSize(70);
    }

    @Test
    void atTheFlowLimitOnlyExecute() throws IOException {
        udpif.flowLimiter().set(5);
        dp.reportedFlows = 5;
        upcalls.add(miss(eth(1, A, B, 0x0800)));
        upcalls.add(miss(eth(2, B, A, 0x0800)));
        assertThat(handler.recvUpcalls(0)).isEqualTo(2);
        assertThat(dp.ops).containsExactly("DP_GET", "EXECUTE 2,3", "EXECUTE 1");
        assertThat(handler.limitHits()).isEqualTo(2);
        assertThat(udpif.coverage().total("upcall_flow_limit_hit")).isEqualTo(2);
        assertThat(udpif.ukeys().size()).isZero();

        // Under the limit again (once the cached count expires): install.
        dp.reportedFlows = 4;
        clock.addAndGet(Udpif.N_FLOWS_CACHE_MS + 1);
        upcalls.add(miss(eth(3, mac("02:00:00:00:00:0c"), A, 0x0800)));
        handler.recvUpcalls(0);
        assertThat(dp.ops.subList(3, dp.ops.size())).containsExactly("DP_GET", "NEW 1", "EXECUTE 1");
    }

    @Test
    void twoKeysOfOneMegaflowInOneBatch() throws IOException {
        normal.setPorts(1, 2, 3);
        // Same L2 header, different IP: different keys (UFIDs), the same megaflow.
        upcalls.add(miss(ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.2"), 17, 1, 2)));
        upcalls.add(miss(ipv4(1, A, B, ip("10.0.0.1"), ip("10.0.0.3"), 17, 1, 2)));
        handler.recvUpcalls(0);
        assertThat(dp.ops).containsExactly("DP_GET", "NEW 2,3", "NEW EEXIST", "EXECUTE 2,3", "EXECUTE 2,3");
        assertThat(handler.flowsInstalled()).isEqualTo(1);
        assertThat(handler.installFailures()).isEqualTo(1);
        List<Ukey.State> states = new ArrayList<>();
        udpif.ukeys().forEach(u -> states.add(u.state()));
        assertThat(states).containsExactlyInAnyOrder(Ukey.State.OPERATIONAL, Ukey.State.EVICTED);
    }

    @Test
    void actionUpcallsDropsAndBadKeys() throws IOException {
        upcalls.add(upcall(PacketCmd.ACTION, eth(1, A, B, 0x0800), 60));
        upcalls.add(miss(eth(1, A, mac("01:80:c2:00:00:00"), 0x0800))); // reserved: drop
        byte[] bad = miss(eth(1, A, B, 0x0800));
        bad[bad.length - 30] = (byte) 0xee; // corrupt the key's last attributes
        NlWriter junk = new NlWriter(64);
        int m = junk.beginMessage(HandlerFakeDatapath.PACKET_FAMILY, 0, 0, 0);
        junk.putGenlHeader(PacketCmd.MISS, 1);
        junk.putRawU32(HandlerFakeDatapath.DP_IFINDEX);
        junk.endMessage(m);
        upcalls.add(junk.toByteArray()); // no key, no packet
        assertThat(handler.recvUpcalls(0)).isEqualTo(2);
        assertThat(handler.actionUpcalls()).isEqualTo(1);
        assertThat(handler.badUpcalls()).isEqualTo(1);
        assertThat(dp.ops).as("a drop flow is installed, nothing executed").containsExactly("DP_GET", "NEW drop");
    }

    @Test
    void runsOnAThreadUntilTheSocketEnds() throws Exception {
        HandlerFakeDatapath.Channel unused = dp.channel();
        for (int i = 0; i < 100; i++) {
            upcalls.add(miss(eth(1 + i % 3, 0x020000010000L + i, B, 0x0800)));
        }
        upcalls.ended = true;
        HandlerSocket reader = HandlerSocket.of((NetlinkChannel) new BlockingOnly(upcalls));
        Handler h = new Handler(1, reader, dp.dpif(), udpif, normal);
        Thread t = h.start();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(h.upcalls()).isEqualTo(100);
        assertThat(dp.execs).hasSize(100);
        assertThat(h.flowsInstalled()).isEqualTo(100);
        assertThat(unused).isNotNull();
    }

    /** Hides the {@link HandlerSocket} side, so that {@link HandlerSocket#of} adds its reader thread. */
    record BlockingOnly(Upcalls u) implements NetlinkChannel {
        @Override
        public void send(byte[] buf, int off, int len) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Datagram receive() throws IOException {
            return u.receive();
        }

        @Override
        public int portId() {
            return u.portId();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void endOfSocketAfterTheBatch() {
        upcalls.add(miss(eth(1, A, B, 0x0800)));
        upcalls.ended = true;
        assertThatThrownBy(() -> handler.recvUpcalls(0)).isInstanceOf(EOFException.class);
        assertThat(dp.execs).hasSize(1);
    }
}
