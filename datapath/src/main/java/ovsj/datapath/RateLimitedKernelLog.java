package ovsj.datapath;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ovsj.odp.KernelLog;

/**
 * Where the datapath writes what the Linux module would write to the kernel log: refused keys and
 * actions ({@code OVS_NLERR}), attribute-parser warnings. Rate-limited as the kernel's
 * {@code net_ratelimit()} is by default: a burst of 10 lines, then one line per 500 ms on average
 * ({@code net.core.message_burst} = 10 per {@code message_cost} = 5 s), with the kernel's
 * "N callbacks suppressed" note when lines were dropped. A client that floods bad requests cannot
 * flood the log.
 */
public final class RateLimitedKernelLog implements KernelLog {
    private static final Logger LOG = LoggerFactory.getLogger("ovsj.kernel");
    private static final int BURST = 10;
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final Logger out;
    private long windowStart;
    private int printed;
    private int suppressed;

    public RateLimitedKernelLog() {
        this(LOG);
    }

    RateLimitedKernelLog(Logger out) {
        this.out = out;
        this.windowStart = System.nanoTime();
    }

    @Override
    public synchronized void log(String line) {
        long now = System.nanoTime();
        if (now - windowStart >= INTERVAL_NANOS) {
            if (suppressed > 0) {
                out.warn("net_ratelimit: {} callbacks suppressed", suppressed);
            }
            windowStart = now;
            printed = 0;
            suppressed = 0;
        }
        if (printed < BURST) {
            printed++;
            out.warn(line);
        } else {
            suppressed++;
        }
    }
}
