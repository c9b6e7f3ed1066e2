/**
 * Java twins of the Open vSwitch kernel datapath uAPI ({@code include/uapi/linux/openvswitch.h})
 * as shipped in Linux 6.1, plus the attribute length tables the kernel keeps in
 * {@code net/openvswitch/flow_netlink.c}.
 *
 * <p>Conventions:
 * <ul>
 *   <li>One final, non-instantiable class per C enum (or group of {@code #define}s). Constants
 *       carry the kernel name without its prefix, e.g. {@link ovsj.odp.uapi.KeyAttr#IPV4} for
 *       {@code OVS_KEY_ATTR_IPV4}.</li>
 *   <li>Every enum class has a {@code MAX} constant and a {@code name(int)} method that returns
 *       the full kernel spelling, or {@code "unknown(N)"}.</li>
 *   <li>One class per wire struct, Agrona style: {@code FIELD_OFFSET} constants and a
 *       {@code LENGTH} equal to the x86_64 {@code sizeof}, trailing padding included.</li>
 *   <li>Byte order: fields the kernel types as {@code __be16/__be32/__be64} are network order
 *       (big-endian); plain {@code __u16/__u32/__u64/int} fields are host order, which for the
 *       supported target (x86_64) means little-endian.</li>
 * </ul>
 *
 * <p>Anything added to the header after 6.1 (vport upcall statistics, the symmetric L4 hash,
 * explicit drop and psample actions) is deliberately absent.
 */
package ovsj.odp.uapi;
