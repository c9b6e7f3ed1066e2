package ovsj.vswitchd;

import java.util.function.LongSupplier;

import ovsj.netlink.NlWriter;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.uapi.FlowAttr;

/**
 * How revalidators re-check a flow against a {@link Pipeline}: the translation side of OVS's
 * {@code revalidate_ukey__} ({@code xlate_key} without side effects, then comparing masks and actions).
 *
 * <p>{@link #revalidate}: re-translates the ukey's flow key (never learning), builds the mask the
 * datapath would hold for the new translation, and answers
 * <ul>
 *   <li>{@code DELETE} if the new mask has a bit the installed one lacks (the installed flow is now too
 *       wide: {@code flow_wildcards_has_extra}), or if the key no longer parses;</li>
 *   <li>{@code MODIFY(actions)} if only the actions changed;</li>
 *   <li>{@code KEEP} otherwise.</li>
 * </ul>
 * The key and mask come from the ukey's netlink attributes, parsed as the datapath parses them (for a
 * flow adopted from a dump too). The ukey's {@link Megaflow} tag is (re)built when the translation
 * changed.
 *
 * <p>{@link #pushStats}: a flow whose translation used {@code normal} refreshes the MAC entry of its
 * source ({@code xlate_push_stats} with an {@code XC_NORMAL} entry).
 *
 * <p>Thread-safe: each revalidator thread uses its own translation context.
 */
public final class PipelineRevalidation implements Revalidator.Revalidation {
    private final Pipeline pipeline;
    private final LongSupplier clockMs;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final Xlate x = new Xlate();
        final MegaflowBuilder mb = new MegaflowBuilder();
        final KeyParser parser = new KeyParser();
        final NlWriter w = new NlWriter(2048);
        final FlowKey key = new FlowKey();
        final FlowKey mask = new FlowKey();
        final FlowKey newMask = new FlowKey();
    }

    /**
     * @param pipeline the pipeline flows are checked against
     * @param clockMs  the daemon's clock, ms (the one MAC learning runs on, e.g. {@link Udpif#nowMs()})
     */
    public PipelineRevalidation(Pipeline pipeline, LongSupplier clockMs) {
        this.pipeline = pipeline;
        this.clockMs = clockMs;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    @Override
    public Revalidator.Result revalidate(Ukey ukey) {
        Scratch s = scratch.get();
        long revision = pipeline.revision();
        byte[] k = ukey.key();
        if (!parse(s, k, ukey.mask())) {
            return Revalidator.Result.DELETE;
        }
        Xlate x = s.x;
        x.start(s.key, clockMs.getAsLong(), false);
        pipeline.translate(x);
        if (s.mb.buildMask(k, 0, k.length, s.key, x.wildcards(), s.newMask) == null
                || Megaflow.hasExtra(s.mask, s.newMask)) {
            return Revalidator.Result.DELETE;
        }
        if (!(ukey.tag() instanceof Megaflow m) || m.revision() != revision || m.normalUsed() != x.normalUsed()) {
            ukey.setTag(new Megaflow(revision, s.key, x.normalUsed()));
        }
        if (x.actionsEqual(ukey.actions())) {
            return Revalidator.Result.KEEP;
        }
        return Revalidator.Result.modify(x.actions());
    }

    /** Parses key and mask attributes (null mask: exact) as the datapath does. */
    private static boolean parse(Scratch s, byte[] key, byte[] mask) {
        NlWriter w = s.w;
        w.reset();
        int kn = w.beginNest(FlowAttr.KEY);
        w.putRaw(key, 0, key.length);
        w.endNest(kn);
        int maskAt = -1;
        if (mask != null && mask.length > 0) {
            maskAt = w.position();
            int mn = w.beginNest(FlowAttr.MASK);
            w.putRaw(mask, 0, mask.length);
            w.endNest(mn);
        }
        return s.parser.parseMatch(w.buffer(), 0, maskAt, s.key, s.mask, KernelLog.NONE) == 0;
    }

    @Override
    public void pushStats(Ukey ukey, long packets, long bytes, int tcpFlags, long usedMs) {
        if (packets > 0 && ukey.tag() instanceof Megaflow m && m.normalUsed()) {
            pipeline.pushStats(m, packets, clockMs.getAsLong());
        }
    }
}
