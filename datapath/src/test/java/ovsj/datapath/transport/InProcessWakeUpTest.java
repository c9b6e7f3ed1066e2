package ovsj.datapath.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import org.junit.jupiter.api.Test;

/**
 * The in-process socket's wait queue: a reader parked for an upcall wakes when one is queued (or the
 * socket closes), not when its timeout runs out.
 */
class InProcessWakeUpTest {
    static final long LONG_NS = TimeUnit.SECONDS.toNanos(60);

    @Test
    void aParkedReaderWakesWhenAnUpcallIsQueued() throws Exception {
        OvsDatapath ovs = new OvsDatapath(1, DumpMode.SERIALIZE);
        InProcessTransport.Connection conn = new InProcessTransport(ovs, new PortIds(7)).open("test");
        CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
            byte[] d;
            while ((d = conn.pollUnsolicited()) == null) {
                conn.awaitUnsolicited(LONG_NS);
            }
            return d;
        });
        Thread.sleep(50); // let it park (if it has not, it finds the datagram at once: same outcome)
        byte[] upcall = {20, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        assertThat(conn.socket().send(upcall, 0, upcall.length)).isTrue();
        assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(upcall);
        conn.close();
        ovs.close();
    }

    @Test
    void closingTheSocketWakesAParkedReader() throws Exception {
        OvsDatapath ovs = new OvsDatapath(1, DumpMode.SERIALIZE);
        InProcessTransport.Connection conn = new InProcessTransport(ovs, new PortIds(7)).open("test");
        CompletableFuture<Boolean> woke = CompletableFuture.supplyAsync(() -> {
            while (!conn.socket().isClosed()) {
                conn.awaitUnsolicited(LONG_NS);
            }
            return true;
        });
        Thread.sleep(50);
        conn.close();
        assertThat(woke.get(30, TimeUnit.SECONDS)).isTrue();
        ovs.close();
    }
}
