package ovsj.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import ovsj.netlink.NlMsgHdr;

/** Which messages of a datagram count as dumped flows. */
class DumpDelayChannelTest {

    @Test
    void countsMultipartFamilyMessagesButNotDoneOrPlainReplies() {
        byte[] b = new byte[200];
        int off = 8;
        int m = off;
        NlMsgHdr.put(b, m, 40, 0x1d, NlMsgHdr.F_MULTI, 1, 7);          // a flow
        m += 40;
        NlMsgHdr.put(b, m, 22, 0x1d, NlMsgHdr.F_MULTI, 1, 7);          // a flow, 22 bytes padded to 24
        m += 24;
        NlMsgHdr.put(b, m, 20, 0x1d, 0, 2, 7);                         // a plain reply
        m += 20;
        NlMsgHdr.put(b, m, 20, NlMsgHdr.NLMSG_DONE, NlMsgHdr.F_MULTI, 1, 7);
        m += 20;

        assertThat(DumpDelayChannel.dumpedFlows(b, off, m - off)).isEqualTo(2);
        assertThat(DumpDelayChannel.dumpedFlows(b, off, 40)).isEqualTo(1);
        // A truncated or zero-length header ends the walk.
        assertThat(DumpDelayChannel.dumpedFlows(b, off, 10)).isZero();
        assertThat(DumpDelayChannel.dumpedFlows(new byte[32], 0, 32)).isZero();
    }
}
