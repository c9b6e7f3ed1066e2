/**
 * A datapath client over netlink, the twin of OVS's {@code dpif-netlink.c}: a {@link
 * ovsj.odp.dpif.NetlinkChannel} (one socket; {@link ovsj.odp.dpif.UnixSocketChannel} speaks the ovsj
 * datapath's server protocol), {@link ovsj.odp.dpif.NlClient} (sequence numbers, ACKs and errors,
 * dumps, nlctrl family resolution) and {@link ovsj.odp.dpif.Dpif}, the typed calls of the datapath,
 * vport, flow and packet families. {@link ovsj.odp.dpif.FlowBatch} pipelines many flow requests per
 * datagram for bulk loads. Used by {@code ovsj dpctl} and, later, by the daemon (which must not
 * depend on the datapath module, hence this package lives in {@code odp}).
 */
package ovsj.odp.dpif;
