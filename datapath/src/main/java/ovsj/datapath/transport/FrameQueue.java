package ovsj.datapath.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outgoing frames of one connection, bounded in bytes, between the threads that send datagrams
 * (the connection's reader for replies, forwarding threads for upcalls) and the connection's writer.
 * Bytes count until the writer has written them, so the bound covers what is in flight too. A frame
 * always fits into an empty queue, whatever its size, so one big datagram cannot wedge a connection.
 */
final class FrameQueue {
    enum Offer { QUEUED, FULL, CLOSED }

    private final long limitBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    /** Queued plus taken-but-not-yet-written bytes. */
    private long bytes;
    /** No more offers; the writer drains what is queued, then {@link #take} returns null. */
    private boolean finished;
    /** Everything queued is dropped; offers and takes return at once. */
    private boolean aborted;

    FrameQueue(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * Queues {@code frame}, waiting up to {@code timeoutNanos} (0: not at all) for room. FULL means
     * the wait ran out; the frame was not queued.
     */
    Offer offer(byte[] frame, long timeoutNanos) {
        lock.lock();
        try {
            long wait = timeoutNanos;
            while (!finished && !aborted && bytes > 0 && bytes + frame.length > limitBytes) {
                if (wait <= 0) {
                    return Offer.FULL;
                }
                try {
                    wait = notFull.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Offer.FULL;
                }
            }
            if (finished || aborted) {
                return Offer.CLOSED;
            }
            frames.add(frame);
            bytes += frame.length;
            notEmpty.signal();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for frames and takes up to {@code maxBytes} of them (at least one); null once the queue
     * is finished and empty, or aborted. The caller must {@link #written} their size afterwards.
     */
    List<byte[]> take(long maxBytes) throws InterruptedException {
        lock.lock();
        try {
            while (frames.isEmpty() && !finished && !aborted) {
                notEmpty.await();
            }
            if (aborted || frames.isEmpty()) {
                return null;
            }
            List<byte[]> out = new ArrayList<>();
            long n = 0;
            while (!frames.isEmpty() && (out.isEmpty() || n + frames.peek().length <= maxBytes)) {
                byte[] f = frames.poll();
                n += f.length;
                out.add(f);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The writer wrote {@code n} bytes it had taken: makes room. */
    void written(long n) {
        lock.lock();
        try {
            bytes -= n;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Accepts no more frames; the writer still drains the queued ones. */
    void finish() {
        lock.lock();
        try {
            finished = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything and wakes every waiter. */
    void abort() {
        lock.lock();
        try {
            aborted = true;
            frames.clear();
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long pendingBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything offered has been written (or the queue is aborted). */
    boolean awaitDrained(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long wait = timeoutNanos;
            while (bytes > 0 && !aborted) {
                if (wait <= 0) {
                    return false;
                }
                wait = notFull.awaitNanos(wait);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
