/**
 * The OVS datapath flow text syntax, both ways: the twin of OVS 3.1's {@code lib/odp-util.c} as
 * {@code ovs-dpctl} uses it against the Linux datapath.
 *
 * <ul>
 *   <li>{@link ovsj.odp.text.OdpFlowFormat} ({@code odp_flow_format}): KEY and MASK attributes as
 *       {@code dump-flows} prints them, default or verbose ({@code -m}), with or without port names.</li>
 *   <li>{@link ovsj.odp.text.OdpActionsFormat} ({@code format_odp_actions}): an action list.</li>
 *   <li>{@link ovsj.odp.text.OdpFlowParse} ({@code odp_flow_from_string}, plus {@code dpif-netlink}'s
 *       packet-type rewrite): the KEY and MASK attributes {@code add-flow} sends.</li>
 *   <li>{@link ovsj.odp.text.OdpActionsParse} ({@code odp_actions_from_string}): the ACTIONS attribute.</li>
 *   <li>{@link ovsj.odp.text.OdpUfid} ({@code odp_ufid_from_string}, {@code odp_format_ufid}).</li>
 * </ul>
 *
 * <p>Numbers, masks, flag names, omissions and refusals follow OVS 3.1 exactly (checked against
 * {@code vectors/dpctl/} and {@code vectors/ovs/text.tsv}), including its asymmetries ({@code recirc}
 * prints hex but parses decimal; {@code slow_path} prints ','-separated reasons but parses '|';
 * {@code ct_tuple6} prints {@code src_port} but parses {@code tp_src}). Where 3.1 is wrong, this package
 * is right, and the tests list every vector line where that shows:
 * <ul>
 *   <li>the kernel's {@code OVS_KEY_ATTR_IPV6_EXTHDRS} prints as {@code ipv6_exthdrs(HDRS/MASK)}
 *       ({@code %#x}, omitted by default when wildcarded), not {@code key32(00 00/00 00)}, and parses back;</li>
 *   <li>a wildcarded {@code eth()} printed first is followed by its comma;</li>
 *   <li>action 23 is the kernel's {@code dec_ttl}, printed {@code dec_ttl(le_1(ACTIONS))} as newer OVS
 *       does; 3.1 reads it as its own {@code tnl_push} and prints garbage;</li>
 *   <li>{@code nsh(...)} keys parse (3.1 always fails after parsing one), with {@code ttl=} accepted.</li>
 * </ul>
 * OVS's userspace-only action numbers ({@code tnl_push} 23, {@code tnl_pop} 24, {@code drop} 25,
 * {@code lb_output} 26) are what the parser produces for those words, as ovs-dpctl does, so the Linux
 * datapath (and ovsj's twin of it) refuses them the same way.
 */
package ovsj.odp.text;
