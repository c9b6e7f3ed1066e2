package ovsj.datapath.replay;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Replays `vectors/kernel/vport.jsonl` step by step (and its kernel log lines) against a fresh datapath. */
class VportReplayTest {
    @TestFactory
    Stream<DynamicTest> vport() {
        return KernelReplay.fresh("vport").checkKlog(true).dynamicTests();
    }
}
