package ovsj.datapath.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.transport.PortIds;
import ovsj.datapath.transport.UnixSocketTransport;
import ovsj.netlink.testing.KernelVectors;

/**
 * The kernel vectors once more, through the UNIX-socket transport and its framing, as parity.py
 * replays them against {@code ovsj datapath}: every scenario, in parity.py's order, on one server,
 * each scenario on a new connection (frames are injected as {@code netdev-dummy/receive} does).
 */
class SocketReplayTest {
    private static final List<AutoCloseable> OPEN = new ArrayList<>();

    @AfterAll
    static void closeAll() throws Exception {
        for (AutoCloseable c : OPEN) {
            c.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioOverTheSocket() throws IOException {
        Path dir = Files.createTempDirectory("ovsj-replay");
        List<String> klog = Collections.synchronizedList(new ArrayList<>());
        OvsDatapath ovs = new OvsDatapath(1, DumpMode.MATCH_CACHE, klog::add);
        UnixSocketTransport server = new UnixSocketTransport(dir.resolve("nl.sock"), ovs, new PortIds(300));
        OPEN.add(server);
        return Stream.of("ctrl", "dp", "vport", "flow_keys", "flow_actions", "flow_set", "flow_errors",
                "packet", "flow_bigactions", "flow_dump").flatMap(s -> {
                    SocketConnection conn = new SocketConnection(dir.resolve("nl.sock"));
                    OPEN.add(conn);
                    KernelReplay replay = new KernelReplay(s, KernelVectors.load(s), ovs, klog, conn);
                    return Stream.of(DynamicTest.dynamicTest(s, () -> {
                        List<KernelReplay.StepResult> failed = replay.runAll().stream()
                                .filter(r -> r.status() == KernelReplay.Status.FAILED).toList();
                        org.junit.jupiter.api.Assertions.assertTrue(failed.isEmpty(),
                                () -> replay.summary() + "\n" + failed);
                    }));
                });
    }
}
