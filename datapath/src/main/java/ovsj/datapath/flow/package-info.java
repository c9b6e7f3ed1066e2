/**
 * Flow key extraction, the twin of Linux 6.1 {@code net/openvswitch/flow.c}: {@link
 * ovsj.datapath.flow.KeyExtractor} fills a packet's {@link ovsj.odp.FlowKey} from its frame
 * ({@code ovs_flow_key_extract}, {@code key_extract}) and gives its flow hash ({@code skb_get_hash},
 * whose L4 bit follows the kernel's flow dissector). One class per concern: Ethernet / VLAN / LLC in
 * {@code KeyExtractor}, {@code Ipv4Parser} (with the shared TCP/UDP/SCTP/ICMP readers),
 * {@code Ipv6Parser} (extension headers, fragments, ND), {@code ArpMplsNsh}, {@code FlowDissector}.
 */
package ovsj.datapath.flow;
