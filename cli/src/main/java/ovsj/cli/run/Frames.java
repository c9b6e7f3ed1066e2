package ovsj.cli.run;

/**
 * The frames of the built-in traffic, written into a caller's buffer: a gratuitous ARP (a host
 * announcing itself) and IPv4 UDP or TCP segments between two hosts. Every frame is the Ethernet
 * minimum, {@value #LENGTH} bytes without FCS, with correct IPv4, UDP and TCP checksums.
 *
 * <p>Hosts: source {@code i} is {@code 02:00:00:00:hh:ll} / {@code 10.0.hh.ll}, destination {@code j} is
 * {@code 02:00:01:00:hh:ll} / {@code 10.1.hh.ll} ({@code hh.ll} the 16-bit index), all locally
 * administered unicast addresses.
 */
public final class Frames {
    /** Every frame's length: the Ethernet minimum without the FCS. */
    public static final int LENGTH = 60;
    static final int ETH_P_IP = 0x0800;
    static final int ETH_P_ARP = 0x0806;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    /** TCP flags. */
    static final int TCP_SYN = 0x02;
    static final int TCP_PSH_ACK = 0x18;

    private static final long SOURCE_MAC = 0x0200_0000_0000L;
    private static final long DESTINATION_MAC = 0x0200_0100_0000L;
    private static final long BROADCAST = 0xffff_ffff_ffffL;
    private static final int SOURCE_IP = 0x0a00_0000;
    private static final int DESTINATION_IP = 0x0a01_0000;

    private Frames() {
    }

    public static long sourceMac(int i) {
        return SOURCE_MAC | (i & 0xffff);
    }

    public static long destinationMac(int j) {
        return DESTINATION_MAC | (j & 0xffff);
    }

    public static int sourceIp(int i) {
        return SOURCE_IP | (i & 0xffff);
    }

    public static int destinationIp(int j) {
        return DESTINATION_IP | (j & 0xffff);
    }

    /**
     * A gratuitous ARP request from {@code mac}/{@code ip} to the broadcast address (sender and target
     * protocol address both {@code ip}): how a host that comes up tells the switch where it is.
     */
    static void announce(byte[] b, int off, long mac, int ip) {
        int p = ethernet(b, off, BROADCAST, mac, ETH_P_ARP);
        p = put16(b, p, 1); // htype Ethernet
        p = put16(b, p, ETH_P_IP);
        b[p++] = 6;
        b[p++] = 4;
        p = put16(b, p, 1); // request
        p = putMac(b, p, mac);
        p = put32(b, p, ip);
        p = putMac(b, p, 0);
        p = put32(b, p, ip);
        pad(b, p, off + LENGTH);
    }

    /** A UDP datagram {@code sport} → {@code dport}, its payload zeros. */
    public static void udp(byte[] b, int off, long srcMac, long dstMac, int srcIp, int dstIp, int sport, int dport) {
        int l4 = ipv4(b, off, srcMac, dstMac, srcIp, dstIp, IPPROTO_UDP);
        int len = off + LENGTH - l4;
        int p = put16(b, l4, sport);
        p = put16(b, p, dport);
        p = put16(b, p, len);
        p = put16(b, p, 0);
        pad(b, p, off + LENGTH);
        int sum = ~fold(pseudoHeader(srcIp, dstIp, IPPROTO_UDP, len) + sum(b, l4, len)) & 0xffff;
        put16(b, l4 + 6, sum == 0 ? 0xffff : sum);
    }

    /** A TCP segment {@code sport} → {@code dport} with {@code flags}, its payload zeros. */
    static void tcp(byte[] b, int off, long srcMac, long dstMac, int srcIp, int dstIp, int sport, int dport,
            int flags) {
        int l4 = ipv4(b, off, srcMac, dstMac, srcIp, dstIp, IPPROTO_TCP);
        int len = off + LENGTH - l4;
        int p = put16(b, l4, sport);
        p = put16(b, p, dport);
        p = put32(b, p, 1); // seq
        p = put32(b, p, (flags & TCP_SYN) != 0 ? 0 : 1); // ack
        b[p++] = 0x50; // data offset 5 words
        b[p++] = (byte) flags;
        p = put16(b, p, 65535); // window
        p = put16(b, p, 0); // checksum, below
        p = put16(b, p, 0); // urgent
        pad(b, p, off + LENGTH);
        put16(b, l4 + 16, ~fold(pseudoHeader(srcIp, dstIp, IPPROTO_TCP, len) + sum(b, l4, len)) & 0xffff);
    }

    /** Ethernet and IPv4 headers (no options, DF, TTL 64); returns the L4 offset. */
    private static int ipv4(byte[] b, int off, long srcMac, long dstMac, int srcIp, int dstIp, int proto) {
        int ip = ethernet(b, off, dstMac, srcMac, ETH_P_IP);
        int p = ip;
        b[p++] = 0x45;
        b[p++] = 0;
        p = put16(b, p, off + LENGTH - ip);
        p = put16(b, p, 0); // id
        p = put16(b, p, 0x4000); // DF
        b[p++] = 64;
        b[p++] = (byte) proto;
        p = put16(b, p, 0); // checksum, below
        p = put32(b, p, srcIp);
        p = put32(b, p, dstIp);
        put16(b, ip + 10, ~fold(sum(b, ip, 20)) & 0xffff);
        return p;
    }

    private static int ethernet(byte[] b, int off, long dst, long src, int type) {
        int p = putMac(b, off, dst);
        p = putMac(b, p, src);
        return put16(b, p, type);
    }

    private static int pseudoHeader(int srcIp, int dstIp, int proto, int len) {
        return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + proto + len;
    }

    /** The one's-complement sum of {@code b[off, off+len)} as 16-bit words, not folded. */
    private static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (b[off + len - 1] & 0xff) << 8;
        }
        return s;
    }

    private static int fold(int s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }

    private static void pad(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            b[i] = 0;
        }
    }

    private static int putMac(byte[] b, int p, long mac) {
        for (int i = 5; i >= 0; i--) {
            b[p++] = (byte) (mac >>> (8 * i));
        }
        return p;
    }

    private static int put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }

    private static int put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }
}
