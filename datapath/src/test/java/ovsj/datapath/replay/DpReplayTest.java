package ovsj.datapath.replay;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Replays `vectors/kernel/dp.jsonl` step by step (and its kernel log lines) against a fresh datapath. */
class DpReplayTest {
    @TestFactory
    Stream<DynamicTest> dp() {
        return KernelReplay.fresh("dp").checkKlog(true).dynamicTests();
    }
}
