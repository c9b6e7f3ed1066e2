package ovsj.datapath.table;

/**
 * Where a flow dump stands: the kernel's {@code (bucket, obj)} pair of {@code ovs_flow_tbl_dump_next},
 * kept across netlink dump batches (the kernel keeps it in {@code cb->args}).
 *
 * <p>Unlike the kernel, which re-reads the current table instance for every batch, a cursor pins the
 * instance it started on and remembers the last node it returned. Resuming continues from that node's
 * successor, so flows inserted (at bucket heads) or removed meanwhile do not shift the position: every
 * flow present for the whole dump is returned exactly once, even across a table expansion; flows
 * inserted meanwhile may or may not be returned; flows removed meanwhile are skipped once removed.
 * Holding the instance keeps it reachable until the dump ends (the GC is our RCU).
 *
 * <p>Not thread-safe: one dump, one cursor, used by one thread at a time.
 */
public final class DumpCursor {
    TableInstance instance;
    TableInstance.Node last;
    int bucket;
    int position;

    /** The bucket being dumped ({@code cb->args[0]}). */
    public int bucket() {
        return bucket;
    }

    /** Nodes of the current bucket already passed ({@code cb->args[1]}). */
    public int position() {
        return position;
    }

    /** True once {@link FlowTable#dumpNext} has returned null. */
    public boolean done() {
        return instance != null && bucket >= instance.nBuckets();
    }

    // the state before the last dumpNext, for unread()
    private TableInstance.Node prevLast;
    private int prevBucket;
    private int prevPosition;

    /** A saved position (see {@link #mark()}). */
    public static final class Mark {
        final TableInstance.Node last;
        final int bucket;
        final int position;

        Mark(TableInstance.Node last, int bucket, int position) {
            this.last = last;
            this.bucket = bucket;
            this.position = position;
        }
    }

    /** Starts over (the next {@code dumpNext} pins the then-current instance). */
    public void reset() {
        instance = null;
        last = null;
        bucket = 0;
        position = 0;
        prevLast = null;
        prevBucket = 0;
        prevPosition = 0;
    }

    /** The current position, to go back to with {@link #reset(Mark)} (allocates; see {@link #unread()}). */
    public Mark mark() {
        return new Mark(last, bucket, position);
    }

    /** Goes back to {@code mark}, taken on this cursor during this dump. */
    public void reset(Mark mark) {
        last = mark.last;
        bucket = mark.bucket;
        position = mark.position;
    }

    /**
     * Undoes the last {@link FlowTable#dumpNext}: the flow it returned comes first in the next call
     * (the kernel's dump leaves {@code cb->args} unchanged when a flow does not fit the batch).
     * Allocation-free; only the most recent call can be undone.
     */
    public void unread() {
        last = prevLast;
        bucket = prevBucket;
        position = prevPosition;
    }

    /** Called by dumpNext before it moves. */
    void save() {
        prevLast = last;
        prevBucket = bucket;
        prevPosition = position;
    }

    @Override
    public String toString() {
        return "DumpCursor[bucket=" + bucket + ", position=" + position + "]";
    }
}
