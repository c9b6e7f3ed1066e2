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
    private final FlowMessage[] views = new FlowMessage[Udpif.REVALIDATE_MAX_BATCH];
    /** The ukey each flow's UFID maps to (or null), from {@link #lookUp}. */
    final Ukey[] found = new Ukey[Udpif.REVALIDATE_MAX_BATCH];
    private final int[] ufidOffs = new int[Udpif.REVALIDATE_MAX_BATCH];
    private final int[] ufidLens = new int[Udpif.REVALIDATE_MAX_BATCH];
    private final UkeyMap.Lookup lookup = new UkeyMap.Lookup(Udpif.REVALIDATE_MAX_BATCH);

    RevalidatorBatch() {
        for (int i = 0; i < views.length; i++) {
            views[i] = new FlowMessage();
        }
    }

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

    /**
     * Parses every flow of the batch and looks up their ukeys, all before any is handled: the lookups
     * are independent, so their cache misses overlap instead of queueing one behind the other.
     */
    void lookUp(UkeyMap ukeys) {
        for (int i = 0; i < n; i++) {
            FlowMessage f = views[i].wrap(arena, offs[i]);
            ufidOffs[i] = f.ufidOffset();
            ufidLens[i] = f.ufidLength();
        }
        ukeys.findAll(arena, ufidOffs, ufidLens, n, found, lookup);
    }

    /** Flow {@code i}, as parsed by {@link #lookUp} (valid until the next {@link #clear}). */
    FlowMessage get(int i) {
        return views[i];
    }

    /** Forgets the ukeys looked up. */
    void release() {
        Arrays.fill(found, 0, n, null);
    }
}
