package ovsj.cli.bench;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

import ovsj.netlink.NlMsgHdr;
import ovsj.odp.dpif.NetlinkChannel;

/**
 * A slower machine, as far as the flow dump goes: a {@link NetlinkChannel} that passes everything
 * through and, for every dumped flow it hands to its reader (every message with {@code NLM_F_MULTI} and a
 * family type, i.e. not {@code NLMSG_DONE}), adds {@code nsPerFlow} nanoseconds before the reader gets
 * the datagram. The delay is slept, not spun (the shared cores stay free for the datapath and the
 * handlers), in slices of at least 1 ms; the debt carries over, so over a dump the reader waits
 * {@code flows × nsPerFlow} plus at most a millisecond and the scheduler's oversleep, which is
 * subtracted from the next slice.
 *
 * <p>The revalidators read the dump through it, so a round takes {@code flows × nsPerFlow} longer, as if
 * the datapath (or the revalidator) needed that much more per flow. Only the round's duration changes,
 * not the CPU it costs: an emulation of the flow-limit controller's input, off by default.
 *
 * <p>Threading as {@link NetlinkChannel}: one receiver at a time.
 */
final class DumpDelayChannel implements NetlinkChannel {
    /** Debt below this is carried to the next datagram rather than slept. */
    static final long MIN_SLEEP_NS = 1_000_000L;

    private final NetlinkChannel inner;
    private final long nsPerFlow;
    private long debtNs;

    DumpDelayChannel(NetlinkChannel inner, long nsPerFlow) {
        if (nsPerFlow < 0) {
            throw new IllegalArgumentException("delay " + nsPerFlow);
        }
        this.inner = inner;
        this.nsPerFlow = nsPerFlow;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        inner.send(buf, off, len);
    }

    @Override
    public Datagram receive() throws IOException {
        Datagram d = inner.receive();
        int n = dumpedFlows(d.buf(), d.off(), d.len());
        if (n > 0 && nsPerFlow > 0) {
            debtNs += n * nsPerFlow;
            if (debtNs >= MIN_SLEEP_NS) {
                long t0 = System.nanoTime();
                LockSupport.parkNanos(debtNs);
                debtNs -= System.nanoTime() - t0;
            }
        }
        return d;
    }

    @Override
    public int portId() {
        return inner.portId();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    /** Multi-part family messages in {@code buf[off, off+len)}: the flows of a dump datagram. */
    static int dumpedFlows(byte[] buf, int off, int len) {
        int n = 0;
        int end = off + len;
        for (int m = off; m + NlMsgHdr.LENGTH <= end; ) {
            int mlen = NlMsgHdr.len(buf, m);
            if (mlen < NlMsgHdr.LENGTH) {
                break;
            }
            if ((NlMsgHdr.flags(buf, m) & NlMsgHdr.F_MULTI) != 0 && NlMsgHdr.type(buf, m) >= NlMsgHdr.NLMSG_MIN_TYPE) {
                n++;
            }
            m += NlMsgHdr.align(mlen);
        }
        return n;
    }
}
