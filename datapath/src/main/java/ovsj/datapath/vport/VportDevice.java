package ovsj.datapath.vport;

import ovsj.datapath.Packet;

/**
 * The netdev behind a vport: where packets the datapath outputs go, and where received frames come from
 * (the kernel's {@code struct vport_ops} plus the {@code net_device} it stands on).
 *
 * <p>Implementations: {@link InternalDevice} ({@code OVS_VPORT_TYPE_INTERNAL}, frames kept in memory for
 * inspection) and {@link PcapDevice} (ovsj's own type 100: replays a pcap file in, appends what it is
 * sent to another).
 */
public interface VportDevice extends AutoCloseable {
    /**
     * The datapath outputs a packet on this port (the kernel's {@code vport->ops->send}). The Packet is
     * yours only during the call: copy what you keep. Returns false if dropped (counted as tx_dropped).
     * May be called by several forwarding threads at once.
     */
    boolean send(Packet p);

    /**
     * Starts delivering received frames to {@code ingress} (e.g. a pcap replay thread); internal ports
     * receive only through injection. Called once, after the port is attached to its datapath.
     */
    default void start(Ingress ingress) {
    }

    /** Stops receiving and releases files; idempotent. Called when the port is detached. */
    @Override
    default void close() {
    }

    /** Where a device hands the frames it receives: the datapath's receive path for one port. */
    @FunctionalInterface
    interface Ingress {
        /**
         * A frame arrived on this port ({@code frame[off, off+len)}, valid only during the call: the
         * device reuses the array). Returns false if the datapath could not take it.
         */
        boolean receive(byte[] frame, int off, int len);
    }
}
