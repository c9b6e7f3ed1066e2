package ovsj.vswitchd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code rules FILE} pipeline: a priority-ordered rule table in {@code ovs-ofctl} syntax
 * ({@link RulesParser} documents the subset), reloadable at run time. The highest-priority matching
 * rule's actions run in order; a packet that matches no rule is dropped (a table miss without a
 * controller). {@code normal} runs the learning switch of {@link PipelineNormal} with its own MAC table.
 *
 * <p>The megaflow holds what {@link Rules#lookup} un-wildcards (see there), plus what the actions read
 * or write: {@code normal} adds its fields, a {@code mod_*} un-wildcards the field it rewrites (and
 * {@code nw_proto} for port rewrites), as OVS does.
 *
 * <p>{@link #reload()} re-reads the file; a file that does not parse leaves the table as it was. The
 * {@link #revision()} moves on every reload or replacement, on port changes and with the MAC table.
 */
public final class PipelineRules implements Pipeline {
    private static final int ETH_P_IP = 0x0800;

    private final Path file;
    private final PipelineNormal normal;
    private final AtomicLong revision = new AtomicLong();
    private volatile Runnable listener = () -> { };
    private volatile Rules rules;
    private final AtomicLong misses = new AtomicLong();

    /** A pipeline over {@code rules} (not backed by a file: {@link #reload()} is refused). */
    public PipelineRules(Rules rules, PipelineNormal normal) {
        this(null, rules, normal);
    }

    private PipelineRules(Path file, Rules rules, PipelineNormal normal) {
        this.file = file;
        this.rules = rules;
        this.normal = normal;
        normal.onChange(this::changed);
    }

    /** Loads the rule file {@code file} (its {@code normal} with a fresh MAC table). */
    public static PipelineRules load(Path file) throws IOException, RulesParseException {
        return load(file, new PipelineNormal());
    }

    public static PipelineRules load(Path file, PipelineNormal normal) throws IOException, RulesParseException {
        return new PipelineRules(file, RulesParser.parse(file), normal);
    }

    private void changed() {
        revision.incrementAndGet();
        listener.run();
    }

    @Override
    public String name() {
        return "rules " + (file != null ? file : rules.source());
    }

    /** The table in use now. */
    public Rules rules() {
        return rules;
    }

    /** The file the rules come from, or null. */
    public Path file() {
        return file;
    }

    /**
     * Re-reads the file. On success the new table replaces the old one and the revision moves (so
     * revalidators re-translate every flow); on failure the old table stays and the error is thrown.
     */
    public Rules reload() throws IOException, RulesParseException {
        if (file == null) {
            throw new IllegalStateException("rules pipeline without a file");
        }
        Rules r = RulesParser.parse(file);
        replace(r);
        return r;
    }

    /** Replaces the table. */
    public void replace(Rules r) {
        rules = r;
        changed();
    }

    @Override
    public long revision() {
        return revision.get();
    }

    @Override
    public void onChange(Runnable r) {
        this.listener = r == null ? () -> { } : r;
    }

    @Override
    public void setPorts(int... ports) {
        normal.setPorts(ports);
    }

    @Override
    public MacLearning macLearning() {
        return normal.macLearning();
    }

    /** The learning switch behind {@code normal}. */
    public PipelineNormal normal() {
        return normal;
    }

    @Override
    public void run(long nowMs) {
        normal.run(nowMs);
    }

    /** Translations that matched no rule. */
    public long missCount() {
        return misses.get();
    }

    @Override
    public void translate(Xlate x) {
        Rules.Rule r = rules.lookup(x);
        if (r == null) {
            misses.incrementAndGet();
            return;
        }
        for (RulesAction a : r.actions()) {
            switch (a) {
                case RulesAction.Output o -> x.output(o.port());
                case RulesAction.Normal n -> normal.xlateNormal(x);
                case RulesAction.SetField s -> setField(x, s.field(), s.value());
            }
        }
    }

    /** A {@code mod_*} action: applies only where the packet has the header (as OVS). */
    private static void setField(Xlate x, XlateField f, long v) {
        switch (f) {
            case DL_SRC, DL_DST -> x.set(f, v);
            case NW_SRC, NW_DST -> {
                if (x.peek(XlateField.DL_TYPE) == ETH_P_IP) {
                    x.set(f, v);
                }
            }
            case TP_SRC, TP_DST -> {
                if (x.hasL4()) {
                    long proto = x.read(XlateField.NW_PROTO);
                    if (proto == 6 || proto == 17 || proto == 132) {
                        x.set(f, v);
                    }
                }
            }
            default -> throw new IllegalArgumentException("cannot rewrite " + f);
        }
    }

    @Override
    public void pushStats(Megaflow flow, long packets, long nowMs) {
        normal.pushStats(flow, packets, nowMs);
    }
}
