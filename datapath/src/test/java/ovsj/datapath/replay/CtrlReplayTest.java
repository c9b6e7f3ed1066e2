package ovsj.datapath.replay;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Replays `vectors/kernel/ctrl.jsonl` step by step (and its kernel log lines) against a fresh datapath. */
class CtrlReplayTest {
    @TestFactory
    Stream<DynamicTest> ctrl() {
        return KernelReplay.fresh("ctrl").checkKlog(true).dynamicTests();
    }
}
