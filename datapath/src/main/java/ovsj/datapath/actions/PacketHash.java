package ovsj.datapath.actions;

import java.util.SplittableRandom;

import ovsj.datapath.Packet;
import ovsj.datapath.flow.KeyExtractor;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;

/**
 * The packet hash the hash action starts from ({@code skb_get_hash}) and the kernel's {@code jhash_1word}
 * that mixes in the action's basis.
 *
 * <p>A hash the packet already has ({@code p.hash} with {@code swHash} or {@code l4Hash}) is used as is.
 * Otherwise, with a valid key, the hash is the datapath's own flow-dissector hash
 * ({@link KeyExtractor#hash}, the one {@code ovs_dp_process_packet} computes), so that a flow hashes alike
 * whichever path computed it. With an invalid key (headers pushed or popped since extraction) the flow
 * dissector cannot be told the packet's protocol, and this falls back to a hash with the same properties
 * (symmetric, never 0, per-JVM seed like Linux's per-boot key) of the IPv4/IPv6 addresses, L4 protocol and
 * TCP/UDP/SCTP ports of unfragmented packets, read from the frame with {@code skb->protocol}.
 */
final class PacketHash {
    static final int JHASH_INITVAL = 0xdeadbeef;
    private static final int SEED = new SplittableRandom().nextInt();

    private PacketHash() {
    }

    /**
     * {@code skb_get_hash}: the packet's hash, computed and recorded in {@code p} if it has none.
     * {@code scratch} holds {@code p.key} while the working key stands in for it.
     */
    static int skbGetHash(Packet p, FlowKey key, FlowKey scratch) {
        if (p.l4Hash || p.swHash) {
            return p.hash;
        }
        if (!ActionExecutor.isKeyValid(key)) {
            compute(p, key);
            return p.hash;
        }
        if (key == p.key) {
            return KeyExtractor.hash(p);
        }
        scratch.copyFrom(p.key);
        p.key.copyFrom(key);
        try {
            return KeyExtractor.hash(p);
        } finally {
            p.key.copyFrom(scratch);
        }
    }

    private static void compute(Packet p, FlowKey key) {
        byte[] b = p.buf;
        int end = p.off + p.len;
        int nh = p.networkOff;
        int proto = VlanMplsEth.protocol(p, key);
        int h = jhash3(proto, 0, 0, SEED);
        int l4 = -1;
        boolean ports = false;
        if (proto == VlanMplsEth.ETH_P_IP && nh >= p.off && nh + 20 <= end) {
            h = jhash3(Wire.be32(b, nh + 12) ^ Wire.be32(b, nh + 16), Wire.be32(b, nh + 12) + Wire.be32(b, nh + 16),
                    b[nh + 9] & 0xff, h);
            if ((Wire.be16(b, nh + 6) & 0x3fff) == 0) {
                l4 = b[nh + 9] & 0xff;
            }
        } else if (proto == VlanMplsEth.ETH_P_IPV6 && nh >= p.off && nh + 40 <= end) {
            for (int i = 0; i < 16; i += 4) {
                h = jhash3(Wire.be32(b, nh + 8 + i) ^ Wire.be32(b, nh + 24 + i),
                        Wire.be32(b, nh + 8 + i) + Wire.be32(b, nh + 24 + i), 0, h);
            }
            l4 = b[nh + 6] & 0xff;
            h = jhash3(l4, 0, 0, h);
        }
        int t = p.transportOff;
        if ((l4 == SetActions.IPPROTO_TCP || l4 == SetActions.IPPROTO_UDP || l4 == 132) && t >= p.off
                && t + 4 <= end) {
            int sp = Wire.be16(b, t);
            int dp = Wire.be16(b, t + 2);
            h = jhash3(sp ^ dp, sp + dp, 0, h);
            ports = true;
        }
        p.hash = h == 0 ? 1 : h;
        p.swHash = true;
        p.l4Hash = ports;
    }

    /** {@code jhash_1word(a, initval)}. */
    static int jhash1Word(int a, int initval) {
        return jhash3(a, 0, 0, initval + JHASH_INITVAL + (1 << 2));
    }

    /** {@code __jhash_nwords(a, b, c, initval)}: add the initval, then {@code __jhash_final}. */
    private static int jhash3(int a, int b, int c, int initval) {
        a += initval;
        b += initval;
        c += initval;
        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);
        return c;
    }
}
