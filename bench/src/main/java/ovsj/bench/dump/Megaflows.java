package ovsj.bench.dump;

import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.KeyEthernet;
import ovsj.odp.uapi.KeyIpv4;
import ovsj.odp.uapi.KeyUdp;

/**
 * The {@code OVS_FLOW_CMD_NEW} requests of the benchmark's flows, written attribute by attribute as
 * {@code ovs-vswitchd}'s handlers would send them: megaflow {@code i} is
 *
 * <pre>
 * ufid:H(i) skb_priority(0/0),skb_mark(0/0),recirc_id(0),in_port(1),
 *   eth(src=02:00:00:xx:xx:xx/00:00:00:00:00:00,dst=02:00:00:00:00:01),eth_type(0x0800),
 *   ipv4(src=10.0.0.0+i,dst=10.255.0.1,proto=17,tos=0/0,ttl=64/0,frag=no),
 *   udp(src=1024+i%60000,dst=53) actions:2
 * </pre>
 *
 * <p>The mask wildcards the Ethernet source, IPv4 TOS and TTL (and priority, mark), like a megaflow
 * that a learning-switch/L3 pipeline would install; every flow has the same mask, so they differ only
 * in the IPv4 source (unique up to 2^24 flows) and the UDP source port. The UFID is 16 pseudo-random
 * bytes derived from {@code i}, as OVS's hash of the key would be.
 */
public final class Megaflows {
    /** The UFID flags of a terse dump: OMIT_KEY | OMIT_MASK | OMIT_ACTIONS. */
    public static final int TERSE = 7;

    private static final int ETH_P_IP = 0x0800;
    private static final int IPPROTO_UDP = 17;
    private static final int OUTPUT_PORT = 2;
    private static final int IN_PORT = 1;

    private Megaflows() {
    }

    /** Largest index that still gives a distinct IPv4 source (10.0.0.0/8). */
    public static final int MAX_FLOWS = 1 << 24;

    /** Appends one NEW request for megaflow {@code i} (no ACK: the datapath answers only errors). */
    public static void putNew(NlWriter w, int flowFamily, int dpIfindex, int seq, int i) {
        int msg = w.beginMessage(flowFamily, NlMsgHdr.F_REQUEST | NlMsgHdr.F_CREATE, seq, 0);
        w.putGenlHeader(FlowCmd.NEW, Families.FLOW_VERSION);
        w.putRawU32(dpIfindex);

        int key = w.beginNest(FlowAttr.KEY);
        putMatchFields(w, i, false);
        w.endNest(key);

        int mask = w.beginNest(FlowAttr.MASK);
        putMatchFields(w, i, true);
        w.endNest(mask);

        int p = w.reserve(FlowAttr.UFID, 16);
        ufid(i, w.buffer(), p);

        int acts = w.beginNest(FlowAttr.ACTIONS);
        w.putU32(ActionAttr.OUTPUT, OUTPUT_PORT);
        w.endNest(acts);
        w.endMessage(msg);
    }

    /** The key (or, with {@code mask}, the mask) attributes of megaflow {@code i}, in OVS's order. */
    private static void putMatchFields(NlWriter w, int i, boolean mask) {
        w.putU32(KeyAttr.PRIORITY, 0);
        w.putU32(KeyAttr.SKB_MARK, 0);
        w.putU32(KeyAttr.RECIRC_ID, mask ? 0xffffffff : 0);
        w.putU32(KeyAttr.IN_PORT, mask ? 0xffffffff : IN_PORT);

        int eth = w.reserve(KeyAttr.ETHERNET, KeyEthernet.LENGTH);
        byte[] b = w.buffer();
        if (!mask) {
            Wire.putBe48(b, eth + KeyEthernet.ETH_SRC_OFFSET, 0x0200_0000_0000L | (i & 0xffffffL));
            Wire.putBe48(b, eth + KeyEthernet.ETH_DST_OFFSET, 0x0200_0000_0001L);
        } else {
            Wire.putBe48(b, eth + KeyEthernet.ETH_DST_OFFSET, 0xffff_ffff_ffffL); // src wildcarded
        }
        w.putBe16(KeyAttr.ETHERTYPE, mask ? 0xffff : ETH_P_IP);

        int ip = w.reserve(KeyAttr.IPV4, KeyIpv4.LENGTH);
        b = w.buffer();
        Wire.putBe32(b, ip + KeyIpv4.IPV4_SRC_OFFSET, mask ? 0xffffffff : 0x0a000000 + i);
        Wire.putBe32(b, ip + KeyIpv4.IPV4_DST_OFFSET, mask ? 0xffffffff : 0x0aff0001);
        b[ip + KeyIpv4.IPV4_PROTO_OFFSET] = (byte) (mask ? 0xff : IPPROTO_UDP);
        b[ip + KeyIpv4.IPV4_TOS_OFFSET] = 0;
        b[ip + KeyIpv4.IPV4_TTL_OFFSET] = (byte) (mask ? 0 : 64);
        b[ip + KeyIpv4.IPV4_FRAG_OFFSET] = (byte) (mask ? 0xff : 0);

        int udp = w.reserve(KeyAttr.UDP, KeyUdp.LENGTH);
        b = w.buffer();
        Wire.putBe16(b, udp + KeyUdp.UDP_SRC_OFFSET, mask ? 0xffff : 1024 + i % 60000);
        Wire.putBe16(b, udp + KeyUdp.UDP_DST_OFFSET, mask ? 0xffff : 53);
    }

    /** The 16-byte UFID of megaflow {@code i} (two splitmix64 outputs). */
    public static void ufid(int i, byte[] dst, int off) {
        Wire.putU64(dst, off, mix(i * 2L + 1));
        Wire.putU64(dst, off + 8, mix(i * 2L + 2));
    }

    private static long mix(long z) {
        z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
