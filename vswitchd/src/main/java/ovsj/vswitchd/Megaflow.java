package ovsj.vswitchd;

import ovsj.odp.FlowKey;

/**
 * What a translation leaves on its {@link Ukey} as the ukey's {@link Ukey#tag() tag}: the small part of
 * OVS's {@code xlate_cache} that ovsj needs. The pipeline revision it was translated under, and — if it
 * went through the learning switch (OVS's {@code XC_NORMAL} entry) — the input port, source MAC and
 * VLAN, so that statistics pushed for the flow later refresh that MAC entry without re-parsing the key.
 * The key and mask themselves stay in the ukey as netlink attributes only (a {@link FlowKey} is 480
 * bytes; a million flows should not pay twice for them). Immutable.
 *
 * <p>Also the megaflow arithmetic on keys and masks: {@link #covers} and {@link #hasExtra}.
 */
public final class Megaflow {
    private final long revision;
    private final boolean normalUsed;
    private final int inPort;
    private final int vlan;
    private final long dlSrc;

    /**
     * @param revision   the pipeline's revision when the translation started
     * @param flow       the translated flow (read for the learning entry)
     * @param normalUsed whether the translation used {@code normal} ({@link Xlate#normalUsed()})
     */
    public Megaflow(long revision, FlowKey flow, boolean normalUsed) {
        this.revision = revision;
        this.normalUsed = normalUsed;
        this.inPort = flow.inPort();
        this.vlan = flow.vlanTci() & XlateField.VLAN_VID_MASK;
        this.dlSrc = XlateField.DL_SRC.get(flow);
    }

    /** The pipeline revision of the translation. */
    public long revision() {
        return revision;
    }

    /** Whether the translation used {@code normal}. */
    public boolean normalUsed() {
        return normalUsed;
    }

    /** The flow's input port. */
    public int inPort() {
        return inPort;
    }

    /** The flow's VLAN id (0 if untagged). */
    public int vlan() {
        return vlan;
    }

    /** The flow's Ethernet source. */
    public long dlSrc() {
        return dlSrc;
    }

    /** Whether {@code flow} is in the megaflow ({@code key}, {@code mask}): equal to the key on every mask bit. */
    public static boolean covers(FlowKey key, FlowKey mask, FlowKey flow) {
        long[] k = key.words();
        long[] m = mask.words();
        long[] f = flow.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (((k[i] ^ f[i]) & m[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code other} has a bit that {@code mask} lacks ({@code flow_wildcards_has_extra}). */
    public static boolean hasExtra(FlowKey mask, FlowKey other) {
        long[] a = mask.words();
        long[] b = other.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((b[i] & ~a[i]) != 0) {
                return true;
            }
        }
        return false;
    }
}
