package ovsj.datapath.genl;

/**
 * What a dump remembers between batches ({@code struct netlink_callback}'s {@code args[]}): families
 * keep their cursor here. One per dump request; lives only while the dump runs.
 */
public final class DumpState {
    /** Generic cursor slots, as the kernel's {@code cb->args[0..5]}. */
    public final long[] args = new long[6];
    /** A family's own cursor object, if longs do not suffice. */
    public Object cursor;
    /** Scratch space a family may reuse across batches (no allocation per flow). */
    public long[] scratch;
}
