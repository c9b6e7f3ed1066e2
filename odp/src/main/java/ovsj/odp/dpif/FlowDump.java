package ovsj.odp.dpif;

import java.io.IOException;

/**
 * A flow dump in progress ({@code dpif_netlink_flow_dump_next}): the datapath's batches read one
 * datagram at a time, each flow handed out as a {@link FlowMessage} view into the batch (valid until
 * the next call).
 */
public final class FlowDump implements AutoCloseable {
    private final NlClient.Dump dump;
    private final FlowMessage view = new FlowMessage();
    private boolean done;

    FlowDump(NlClient.Dump dump) {
        this.dump = dump;
    }

    /** The next flow, or null at the end of the dump. */
    public FlowMessage next() throws IOException {
        if (done) {
            return null;
        }
        int m;
        try {
            m = dump.next();
        } catch (IOException e) {
            done = true;
            throw e;
        }
        if (m < 0) {
            done = true;
            return null;
        }
        return view.wrap(dump.buffer(), m);
    }

    /** Reads and drops what is left of the dump. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            dump.drain();
        }
    }
}
