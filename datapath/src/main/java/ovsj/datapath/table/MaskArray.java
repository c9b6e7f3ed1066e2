package ovsj.datapath.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import ovsj.odp.FlowMask;

/**
 * The table's masks in search order ({@code struct mask_array}), copy-on-write: a published array is
 * never modified (readers index it with plain loads after the table's volatile load of the array), and
 * every add, delete or re-sort publishes a new one. Masks are compacted like the kernel's (a deleted
 * slot takes the last mask), so cached mask indices stay meaningful across an add.
 *
 * <p>Also carried: the writer-only reference counts, and the per-cpu usage counters that
 * {@code ovs_flow_masks_rebalance} sorts by. A new array starts with zeroed counters, which is the
 * kernel's {@code tbl_mask_array_reset_counters} on every add or delete ("every new mask gets a fair
 * chance"); hits counted on an old array by a reader still walking it are simply dropped.
 */
final class MaskArray {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Search order; immutable once published. */
    final FlowMask[] masks;
    /** Flows per mask; writer-only (under the table's lock). */
    final int[] refCounts;
    /**
     * {@code masks_usage_stats}: {@code usage[cpu][i]} counts hits of mask {@code i} by forwarding
     * thread {@code cpu}; each row is written only by its own thread (opaque, no tearing), read by the
     * writer when rebalancing. Rows are separate arrays, so threads do not share cache lines much.
     */
    final long[][] usage;
    /** {@code masks_usage_zero_cntr}: the usage sum at the last reset; writer-only. */
    final long[] zero;

    private MaskArray(FlowMask[] masks, int[] refCounts, int cpus) {
        this.masks = masks;
        this.refCounts = refCounts;
        this.usage = new long[cpus][masks.length];
        this.zero = new long[masks.length];
    }

    static MaskArray empty(int cpus) {
        return new MaskArray(new FlowMask[0], new int[0], cpus);
    }

    int count() {
        return masks.length;
    }

    /** Reader side: forwarding thread {@code row}'s counter of mask {@code i} (plain row, opaque cell). */
    static void countHit(long[] row, int i) {
        LONGS.setOpaque(row, i, (long) LONGS.getOpaque(row, i) + 1);
    }

    // ---- writer side (under the table's lock) -------------------------------------------------------

    /** {@code flow_mask_find}: the index of a mask with the same ranges and bits, or -1. */
    int find(FlowMask m) {
        for (int i = 0; i < masks.length; i++) {
            FlowMask t = masks[i];
            if (t.sameAs(m)) {
                return i;
            }
        }
        return -1;
    }

    int indexOf(FlowMask m) {
        for (int i = 0; i < masks.length; i++) {
            if (masks[i] == m) {
                return i;
            }
        }
        return -1;
    }

    /** {@code tbl_mask_array_add_mask}: a new array with {@code m} appended (reference count 1). */
    MaskArray withAdded(FlowMask m, int cpus) {
        int n = masks.length;
        FlowMask[] nm = java.util.Arrays.copyOf(masks, n + 1);
        int[] nr = java.util.Arrays.copyOf(refCounts, n + 1);
        nm[n] = m;
        nr[n] = 1;
        return new MaskArray(nm, nr, cpus);
    }

    /** {@code tbl_mask_array_del_mask}: a new array without slot {@code i}; the last mask fills it. */
    MaskArray withRemoved(int i, int cpus) {
        int last = masks.length - 1;
        FlowMask[] nm = java.util.Arrays.copyOf(masks, last);
        int[] nr = java.util.Arrays.copyOf(refCounts, last);
        if (i != last) {
            nm[i] = masks[last];
            nr[i] = refCounts[last];
        }
        return new MaskArray(nm, nr, cpus);
    }

    /**
     * {@code ovs_flow_masks_rebalance}: sums each mask's hits since the last reset, resets, and returns
     * the masks re-sorted by descending hits (ties keep their order), or null if the order holds.
     */
    MaskArray rebalanced(int cpus) {
        int n = masks.length;
        if (n == 0) {
            return null;
        }
        long[] hits = new long[n];
        for (int i = 0; i < n; i++) {
            long sum = 0;
            for (long[] row : usage) {
                sum += (long) LONGS.getOpaque(row, i);
            }
            hits[i] = sum - zero[i];
            zero[i] += hits[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(hits[b], hits[a])); // stable (TimSort)
        boolean same = true;
        for (int i = 0; i < n && same; i++) {
            same = order[i] == i;
        }
        if (same) {
            return null;
        }
        FlowMask[] nm = new FlowMask[n];
        int[] nr = new int[n];
        for (int i = 0; i < n; i++) {
            nm[i] = masks[order[i]];
            nr[i] = refCounts[order[i]];
        }
        return new MaskArray(nm, nr, cpus);
    }
}
