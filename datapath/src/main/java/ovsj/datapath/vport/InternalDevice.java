package ovsj.datapath.vport;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import ovsj.datapath.Packet;

/**
 * The netdev of an {@code OVS_VPORT_TYPE_INTERNAL} port ({@code vport-internal_dev.c}), in memory. In the
 * kernel, a packet the datapath sends to an internal port enters the host's stack
 * ({@code internal_dev_recv}); here there is no stack, so the device keeps the last {@link #capacity()}
 * frames for inspection (oldest dropped first), and counts every frame it was sent. Frames reach the
 * datapath from an internal port only by injection ({@code netdev-dummy/receive}).
 *
 * <p>Thread-safe: forwarding threads send while unixctl reads and clears.
 */
public final class InternalDevice implements VportDevice {
    /** Frames kept by default. */
    public static final int DEFAULT_CAPACITY = 1024;

    private static final HexFormat HEX = HexFormat.of();

    private final int capacity;
    /** Ring slots, reused: a slot's array is kept and only grown, so steady-state sends allocate nothing. */
    private final byte[][] slots;
    private final int[] lengths;
    private int head;
    private int size;
    private long txPackets;
    private long txBytes;

    /** An internal port that keeps the last {@link #DEFAULT_CAPACITY} frames. */
    public InternalDevice() {
        this(DEFAULT_CAPACITY);
    }

    /** An internal port that keeps the last {@code capacity} frames (0: only counts them). */
    public InternalDevice(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = capacity;
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
    }

    /** Keeps a copy of the frame (evicting the oldest when full). Never drops: returns true. */
    @Override
    public synchronized boolean send(Packet p) {
        txPackets++;
        txBytes += p.len;
        if (capacity == 0) {
            return true;
        }
        int slot = (head + size) % capacity;
        if (size == capacity) {
            head = (head + 1) % capacity; // the oldest frame's slot is reused
        } else {
            size++;
        }
        byte[] b = slots[slot];
        if (b == null || b.length < p.len) {
            b = new byte[Math.max(p.len, 128)];
            slots[slot] = b;
        }
        System.arraycopy(p.buf, p.off, b, 0, p.len);
        lengths[slot] = p.len;
        return true;
    }

    /** How many frames are kept at most. */
    public int capacity() {
        return capacity;
    }

    /** The frames kept, oldest first (copies of the list; the arrays are not shared with later sends). */
    public synchronized List<byte[]> transmitted() {
        List<byte[]> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % capacity;
            out.add(java.util.Arrays.copyOf(slots[slot], lengths[slot]));
        }
        return out;
    }

    /** Forgets the frames kept (the counters go on). Returns how many there were. */
    public synchronized int clear() {
        int n = size;
        head = 0;
        size = 0;
        return n;
    }

    /** Frames sent to this port since it was created, kept or not. */
    public synchronized long txPackets() {
        return txPackets;
    }

    /** Bytes of those frames. */
    public synchronized long txBytes() {
        return txBytes;
    }

    /**
     * The {@code netdev-dummy/tx-list} reply: each frame as lowercase hex without blanks (what
     * {@code netdev-dummy/receive} accepts), one per line, oldest first; "" when none.
     */
    public static String hexLines(List<byte[]> frames) {
        StringBuilder b = new StringBuilder();
        for (byte[] f : frames) {
            b.append(HEX.formatHex(f)).append('\n');
        }
        return b.toString();
    }
}
