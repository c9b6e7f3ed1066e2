package ovsj.datapath.replay;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Replays the flow scenarios of `vectors/kernel/` step by step, kernel log lines included. */
class FlowReplayTest {
    @TestFactory
    Stream<DynamicTest> flowKeys() {
        return KernelReplay.fresh("flow_keys").checkKlog(true).dynamicTests();
    }

    @TestFactory
    Stream<DynamicTest> flowActions() {
        return KernelReplay.fresh("flow_actions").checkKlog(true).dynamicTests();
    }

    @TestFactory
    Stream<DynamicTest> flowSet() {
        return KernelReplay.fresh("flow_set").checkKlog(true).dynamicTests();
    }

    @TestFactory
    Stream<DynamicTest> flowErrors() {
        return KernelReplay.fresh("flow_errors").checkKlog(true).dynamicTests();
    }

    @TestFactory
    Stream<DynamicTest> flowBigactions() {
        return KernelReplay.fresh("flow_bigactions").checkKlog(true).dynamicTests();
    }

    @TestFactory
    Stream<DynamicTest> flowDump() {
        return KernelReplay.fresh("flow_dump").checkKlog(true).dynamicTests();
    }
}
