package ovsj.datapath.replay;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays `vectors/kernel/packet.jsonl`: frames injected into ports give the kernel's MISS and ACTION
 * upcalls, flow/datapath/port statistics and EXECUTE results.
 */
class PacketReplayTest {
    @TestFactory
    Stream<DynamicTest> packet() {
        return KernelReplay.fresh("packet").dynamicTests();
    }
}
