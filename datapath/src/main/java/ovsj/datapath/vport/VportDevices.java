package ovsj.datapath.vport;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import ovsj.datapath.Vport;

/**
 * Which device each port has, until {@link Vport} carries it itself (then this class goes away: its
 * callers become {@code v.device()} and the device is set when the port is built). Keyed by the port's
 * identity ({@link Vport} keeps {@code Object}'s equals and hashCode), weakly, so that the ports of a
 * datapath that is dropped without being deleted (tests) do not stay here.
 */
public final class VportDevices {
    private static final Map<Vport, VportDevice> DEVICES = Collections.synchronizedMap(new WeakHashMap<>());

    private VportDevices() {
    }

    /** Gives {@code v} its device (once, when the port is attached). */
    public static void register(Vport v, VportDevice device) {
        VportDevice old = DEVICES.putIfAbsent(v, device);
        if (old != null && old != device) {
            throw new IllegalStateException("port " + v.name() + " already has a device");
        }
    }

    /** The device of {@code v}, or null for a port that was never given one. */
    public static VportDevice get(Vport v) {
        return DEVICES.get(v);
    }

    /** Takes the device away from a port that is detached, and closes it. */
    public static void close(Vport v) {
        VportDevice d = DEVICES.remove(v);
        if (d != null) {
            d.close();
        }
    }
}
