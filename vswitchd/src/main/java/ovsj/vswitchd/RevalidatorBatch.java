package ovsj.vswitchd;

import java.util.Arrays;

import ovsj.netlink.NlMsgHdr;
import ovsj.odp.dpif.FlowMessage;

/** Flows copied out of the shared dump: a batch of messages in one reusable arena. */
final class RevalidatorBatch {
    private byte[] arena = new byte[64 * 1024];
    private int used;
    private int n;
    private final int[] offs = new int[Udpif.REVALIDATE_MAX_BATCH];
    private final FlowMessage view = new FlowMessage();

    void clear() {
        used = 0;
        n = 0;
    }

    int size() {
        return n;
    }

    void add(FlowMessage m) {
        int len = NlMsgHdr.len(m.buffer(), m.messageOffset());
        if (used + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + len));
        }
        System.arraycopy(m.buffer(), m.messageOffset(), arena, used, len);
        offs[n++] = used;
        used += NlMsgHdr.align(len);
    }

    /** Flow {@code i} (a view valid until the next call). */
    FlowMessage get(int i) {
        return view.wrap(arena, offs[i]);
    }
}
