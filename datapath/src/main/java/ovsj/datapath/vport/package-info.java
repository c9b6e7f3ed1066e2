/**
 * The devices behind vports ({@code vport-internal_dev.c}, {@code vport-netdev.c} and the netdev core,
 * for a datapath without kernel netdevs): {@link ovsj.datapath.vport.VportDevice}, the interface the
 * fast path sends through and receives from; {@link ovsj.datapath.vport.InternalDevice}, an internal
 * port that keeps what it is sent for inspection ({@code netdev-dummy/tx-list}, see
 * {@link ovsj.datapath.vport.TxCommands}); {@link ovsj.datapath.vport.PcapDevice}, ovsj's own vport
 * type 100 that replays a pcap file in and writes what it is sent to another ({@link
 * ovsj.datapath.vport.PcapFile}, {@link ovsj.datapath.vport.PcapOptions}); and
 * {@link ovsj.datapath.Vport#device()}, the device behind each port.
 */
package ovsj.datapath.vport;
