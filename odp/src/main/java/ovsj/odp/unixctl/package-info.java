/**
 * OVS's unixctl control protocol (what {@code ovs-appctl} speaks): a JSON-RPC 1.0 server on a UNIX
 * socket, the small JSON reader/writer it needs, and the socket-file rules (0600, one server per
 * path, stale files replaced) that the datapath's netlink socket shares.
 */
package ovsj.odp.unixctl;
