package ovsj.datapath.vport;

import java.nio.charset.StandardCharsets;

import ovsj.netlink.Errno;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;

/**
 * The options of a pcap port ({@link PcapDevice}), nested in {@code OVS_VPORT_ATTR_OPTIONS} as a tunnel
 * port's {@code OVS_TUNNEL_ATTR_*} are. Attribute numbers are ovsj's own:
 *
 * <table>
 * <caption>pcap port options</caption>
 * <tr><th>attribute</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@link #INPUT} (1)</td><td>string</td><td>pcap file replayed into the datapath</td></tr>
 * <tr><td>{@link #OUTPUT} (2)</td><td>string</td><td>pcap file the port's transmitted frames are written to
 * (created, or truncated)</td></tr>
 * <tr><td>{@link #RATE_PPS} (3)</td><td>u32</td><td>replay rate in packets per second; 0 (default) = as fast as
 * the datapath takes them</td></tr>
 * <tr><td>{@link #LOOP} (4)</td><td>flag</td><td>replay the input again from its start when it ends</td></tr>
 * </table>
 *
 * <p>At least one of INPUT and OUTPUT is needed. Strings are NUL-terminated or not, at most
 * {@link #MAX_PATH_BYTES} bytes, not empty. Unknown attributes, and bytes left over after the last
 * whole attribute, are ignored (the liberal {@code nla_parse_deprecated} of the ovs families); a known
 * attribute of the wrong length is EINVAL.
 * Relative paths are relative to the datapath process's working directory.
 *
 * @param input    the input file, or null
 * @param output   the output file, or null
 * @param ratePps  packets per second (unsigned), 0 = unpaced
 * @param loop     replay the input forever
 */
public record PcapOptions(String input, String output, int ratePps, boolean loop) {
    public static final int UNSPEC = 0;
    public static final int INPUT = 1;
    public static final int OUTPUT = 2;
    public static final int RATE_PPS = 3;
    public static final int LOOP = 4;
    public static final int MAX = LOOP;

    /**
     * Longest path accepted, in UTF-8 bytes: keeps a port's GET reply well inside the kernel's
     * {@code NLMSG_DEFAULT_SIZE} reply and a dump batch.
     */
    public static final int MAX_PATH_BYTES = 1024;

    /**
     * Parses the payload of {@code OVS_VPORT_ATTR_OPTIONS} ({@code buf[off, off+len)}). Throws with
     * -EINVAL (malformed, or neither file) or -ENAMETOOLONG (a path over {@link #MAX_PATH_BYTES}).
     */
    public static PcapOptions parse(byte[] buf, int off, int len) throws VportDeviceException {
        String input = null;
        String output = null;
        int rate = 0;
        boolean loop = false;
        NlAttrReader r = new NlAttrReader().wrap(buf, off, len);
        while (r.next()) {
            switch (r.type()) {
                case INPUT -> input = path(r, "INPUT");
                case OUTPUT -> output = path(r, "OUTPUT");
                case RATE_PPS -> {
                    if (r.payloadLength() != 4) {
                        throw new VportDeviceException(-Errno.EINVAL,
                                "pcap option RATE_PPS: " + r.payloadLength() + " bytes, not a u32");
                    }
                    rate = r.u32();
                }
                case LOOP -> {
                    if (r.payloadLength() != 0) {
                        throw new VportDeviceException(-Errno.EINVAL,
                                "pcap option LOOP: a flag has no payload, not " + r.payloadLength() + " bytes");
                    }
                    loop = true;
                }
                default -> {
                    // ignored, as nla_parse_deprecated does
                }
            }
        }
        if (input == null && output == null) {
            throw new VportDeviceException(-Errno.EINVAL, "neither an INPUT nor an OUTPUT file in the options");
        }
        return new PcapOptions(input, output, rate, loop);
    }

    private static String path(NlAttrReader r, String what) throws VportDeviceException {
        byte[] b = r.buffer();
        int p = r.payloadOffset();
        int n = r.payloadLength();
        int e = 0;
        while (e < n && b[p + e] != 0) {
            e++;
        }
        if (e == 0) {
            throw new VportDeviceException(-Errno.EINVAL, "pcap option " + what + ": empty path");
        }
        if (e > MAX_PATH_BYTES) {
            throw new VportDeviceException(-Errno.ENAMETOOLONG,
                    "pcap option " + what + ": path of " + e + " bytes, over " + MAX_PATH_BYTES);
        }
        return new String(b, p, e, StandardCharsets.UTF_8);
    }

    /**
     * Writes the options ({@code get_options}, inside the caller's OPTIONS nest): INPUT and OUTPUT if
     * set, RATE_PPS always, LOOP if set.
     */
    public void put(NlWriter w) {
        if (input != null) {
            w.putString(INPUT, input);
        }
        if (output != null) {
            w.putString(OUTPUT, output);
        }
        w.putU32(RATE_PPS, ratePps);
        if (loop) {
            w.putFlag(LOOP);
        }
    }

    /** The rate as an unsigned number. */
    public long ratePpsUnsigned() {
        return Integer.toUnsignedLong(ratePps);
    }
}
