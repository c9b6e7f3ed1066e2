package ovsj.datapath.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out netlink port ids, nonzero and unique within a process, as the kernel's autobind does.
 * Shared by every transport of one datapath so an upcall pid names exactly one socket.
 */
public final class PortIds {
    private final AtomicInteger next;

    public PortIds(int first) {
        if (first <= 0) {
            throw new IllegalArgumentException("port ids start above 0");
        }
        this.next = new AtomicInteger(first);
    }

    public int next() {
        int id = next.getAndIncrement();
        if (id <= 0) {
            throw new IllegalStateException("netlink port ids exhausted");
        }
        return id;
    }
}
