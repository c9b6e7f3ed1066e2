package ovsj.vswitchd;

/**
 * A translation pipeline: what the daemon does with a packet that missed in the datapath (OVS's
 * {@code xlate_actions} over an ofproto's tables). Given a flow in an {@link Xlate}, it emits datapath
 * actions and un-wildcards every bit its decision depended on, so that the megaflow built from the
 * wildcards gives every packet it matches the same actions.
 *
 * <p>Implementations: {@link PipelineNormal} (the {@code normal} L2 learning switch, the default) and
 * {@link PipelineRules} (a priority-ordered {@code ovs-ofctl} rule table).
 *
 * <p>Thread-safe: handler threads translate upcalls concurrently while revalidator threads
 * re-translate installed flows.
 */
public interface Pipeline {

    /** A short name for status output: {@code normal}, {@code rules FILE}. */
    String name();

    /** Translates the flow of {@code x} (started by the caller) into actions and wildcards. */
    void translate(Xlate x);

    /**
     * Increases whenever the same flow could now translate differently (a MAC learned, moved or aged
     * out; the rules reloaded; the ports changed).
     */
    long revision();

    /**
     * Who hears of each {@link #revision()} change (the daemon bumps its revalidation sequence, OVS's
     * {@code udpif->reval_seq}); replaces the previous listener. Called on the changing thread.
     */
    void onChange(Runnable listener);

    /** The datapath ports the pipeline may output to (flooding uses all but the input port). */
    void setPorts(int... ports);

    /** Periodic housekeeping ({@code mac_learning_run}: aging); cheap when there is nothing to do. */
    default void run(long nowMs) {
    }

    /**
     * Statistics of an installed flow whose translation used the learning switch
     * ({@link Xlate#normalUsed()}) were pushed ({@code xlate_push_stats}): the flow's packets refresh
     * what they would have learned (the MAC entry of the source), as OVS's {@code XC_NORMAL} cache entry
     * does.
     */
    default void pushStats(Megaflow flow, long packets, long nowMs) {
    }

    /** The MAC learning table, or null if the pipeline has none. */
    default MacLearning macLearning() {
        return null;
    }
}
