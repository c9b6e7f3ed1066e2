package ovsj.bench.path;

import java.util.List;
import java.util.SplittableRandom;

import ovsj.datapath.Datapath;
import ovsj.datapath.DumpMode;
import ovsj.datapath.Forwarder;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.Vport;
import ovsj.datapath.table.DumpCursor;
import ovsj.datapath.table.Flow;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.PortIds;
import ovsj.datapath.vport.InternalDevice;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.KeyEthernet;
import ovsj.odp.uapi.KeyIpv4;
import ovsj.odp.uapi.KeyUdp;
import ovsj.odp.uapi.UserFeatures;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportCmd;
import ovsj.odp.uapi.VportType;

/**
 * A datapath set up for the packet hit path, configured only through generic netlink (an
 * {@link InProcessTransport} connection, as {@code ovs-vswitchd} would): one datapath, two internal
 * ports (port {@value #IN_PORT} in, port {@value #OUT_PORT} out), {@code flows} megaflows with
 * {@code actions:2} spread round-robin over {@code masks} masks, and one 60-byte Ethernet/IPv4/UDP
 * frame per flow that hits that flow, laid out in a random order in one array ({@link #frames()},
 * frame {@code k} at {@code k * }{@value #FRAME_STRIDE}).
 *
 * <h2>The masks</h2>
 * Mask {@code j} (0 ≤ j &lt; {@value #MAX_MASKS}) matches {@code in_port}, the Ethernet destination,
 * the EtherType, the IPv4 destination, protocol and frag exactly, and wildcards the Ethernet source,
 * TOS and TTL (as a learning-switch/L3 megaflow does). It differs from the others in two ways:
 * <ul>
 *   <li>the IPv4 source is a {@code /(32 - j % 8)} prefix (the low {@code j % 8} bits wildcarded);</li>
 *   <li>{@code j / 8} selects the L4 match: 0 = UDP source and destination ports exact, 1 = the
 *       destination port only, 2 = no UDP port at all.</li>
 * </ul>
 * Flow {@code i} belongs to mask {@code j = i % masks} and is the {@code t = i / masks}-th flow of
 * that mask: IPv4 source {@code 10.0.0.0 + (t << (j % 8))}, IPv4 destination {@code 10.128.0.j}
 * (so a packet of one mask can never match a flow of another: a lookup without the mask cache scans
 * the masks in insertion order until it reaches its own), UDP {@code 1024 + t % 60000 → 53}. Its
 * frame fills every wildcarded field (the low source bits, a wildcarded port, the Ethernet source,
 * TOS, TTL) with pseudo-random values, so masking matters.
 *
 * <p>Not thread-safe: one thread drives a rig, through the {@link #forwarder()} it owns.
 */
public final class HitPathRig implements AutoCloseable {
    public static final int IN_PORT = 1;
    public static final int OUT_PORT = 2;
    /** Frame length: Ethernet (14) + IPv4 (20) + UDP (8) + 18 bytes of payload = the Ethernet minimum. */
    public static final int FRAME_LEN = 60;
    /** Distance between frames in {@link #frames()}. */
    public static final int FRAME_STRIDE = 64;
    /** Masks this rig can build (8 source prefix lengths × 3 L4 matches). */
    public static final int MAX_MASKS = 24;
    /** The kernel's default mask-cache size ({@code MC_DEFAULT_HASH_ENTRIES}). */
    public static final int DEFAULT_MASK_CACHE_SIZE = 256;
    /** Flow requests per install datagram. */
    private static final int INSTALL_BATCH = 1024;

    private static final int ETH_P_IP = 0x0800;
    private static final int IPPROTO_UDP = 17;
    private static final long ETH_DST = 0x0200_0000_0001L;
    private static final int IP_SRC_BASE = 0x0a00_0000;
    private static final int IP_DST_BASE = 0x0a80_0000;
    private static final int UDP_DST = 53;

    private final int flows;
    private final int masks;
    private final OvsDatapath ovs;
    private final InProcessTransport.Connection conn;
    private final int dpFamily;
    private final int vportFamily;
    private final int flowFamily;
    private final int dpIfindex;
    private final Datapath dp;
    private final Vport in;
    private final InternalDevice out;
    private final Forwarder forwarder;
    private final byte[] frames;
    private final long installNanos;
    private int seq;

    /**
     * Builds the datapath, its ports and flows, and the frames (in an order drawn from {@code seed}).
     * Throws if any netlink request fails or the table does not end up with {@code flows} flows in
     * {@code masks} masks.
     */
    public HitPathRig(int flows, int masks, long seed) {
        if (masks < 1 || masks > MAX_MASKS) {
            throw new IllegalArgumentException("masks must be in 1.." + MAX_MASKS + ": " + masks);
        }
        if (flows < masks) {
            throw new IllegalArgumentException("at least one flow per mask: " + flows + " flows, " + masks + " masks");
        }
        for (int j = 0; j < masks; j++) {
            long perMask = (flows - j + masks - 1) / masks; // flows i ≡ j (mod masks)
            if (perMask > (1L << (24 - wildBits(j)))) {
                throw new IllegalArgumentException("mask " + j + " cannot hold " + perMask + " flows");
            }
        }
        this.flows = flows;
        this.masks = masks;
        ovs = new OvsDatapath(1, DumpMode.SERIALIZE);
        conn = new InProcessTransport(ovs, new PortIds(5000)).open("ovs-vswitchd");
        dpFamily = ovs.genl().family(Families.DATAPATH_FAMILY).id();
        vportFamily = ovs.genl().family(Families.VPORT_FAMILY).id();
        flowFamily = ovs.genl().family(Families.FLOW_FAMILY).id();

        // OVS_DP_CMD_NEW, echoed: the echo's ovs_header carries the new datapath's ifindex.
        NlWriter w = new NlWriter(256);
        int m = w.beginMessage(dpFamily, NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK | NlMsgHdr.F_ECHO, ++seq, 0);
        w.putGenlHeader(DpCmd.NEW, Families.DATAPATH_VERSION);
        w.putRawU32(0);
        w.putString(DpAttr.NAME, "hitpath");
        w.putU32(DpAttr.UPCALL_PID, conn.portId());
        w.putU32(DpAttr.USER_FEATURES, UserFeatures.UNALIGNED);
        w.endMessage(m);
        List<byte[]> replies = conn.request(w.toByteArray());
        checkAck("OVS_DP_CMD_NEW", replies);
        dpIfindex = Wire.u32(replies.get(0), NlMsgHdr.LENGTH + 4);
        dp = ovs.net().datapath(dpIfindex);
        if (dp == null) {
            throw new IllegalStateException("no datapath with ifindex " + dpIfindex);
        }

        newInternalPort(IN_PORT, "hp-in");
        newInternalPort(OUT_PORT, "hp-out");
        in = dp.port(IN_PORT);
        if (!(dp.port(OUT_PORT).device() instanceof InternalDevice dev)) {
            throw new IllegalStateException("port " + OUT_PORT + " is not an internal device");
        }
        out = dev;

        installNanos = install();
        if (dp.table().count() != flows) {
            throw new IllegalStateException("installed " + flows + " flows but the table holds " + dp.table().count());
        }
        if (dp.table().maskCount() != masks) {
            throw new IllegalStateException("expected " + masks + " masks, the table has " + dp.table().maskCount());
        }
        frames = buildFrames(seed);
        forwarder = ovs.detachedForwarder(0);
    }

    /** Low bits of the IPv4 source that mask {@code j} wildcards. */
    static int wildBits(int j) {
        return j % 8;
    }

    /** Mask {@code j}'s L4 match: 0 both UDP ports, 1 the destination port, 2 none. */
    static int l4Kind(int j) {
        return j / 8;
    }

    private void newInternalPort(int portNo, String name) {
        NlWriter w = new NlWriter(256);
        int m = w.beginMessage(vportFamily, NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK, ++seq, 0);
        w.putGenlHeader(VportCmd.NEW, Families.VPORT_VERSION);
        w.putRawU32(dpIfindex);
        w.putU32(VportAttr.PORT_NO, portNo);
        w.putU32(VportAttr.TYPE, VportType.INTERNAL);
        w.putString(VportAttr.NAME, name);
        w.putU32(VportAttr.UPCALL_PID, conn.portId());
        w.endMessage(m);
        checkAck("OVS_VPORT_CMD_NEW " + name, conn.request(w.toByteArray()));
    }

    private static void checkAck(String what, List<byte[]> replies) {
        if (replies.isEmpty()) {
            throw new IllegalStateException(what + ": no reply");
        }
        byte[] last = replies.get(replies.size() - 1);
        if (NlMsgHdr.type(last, 0) != NlMsgHdr.NLMSG_ERROR || Wire.u32(last, NlMsgHdr.LENGTH) != 0) {
            throw new IllegalStateException(what + " failed: " + errorOf(last));
        }
    }

    private static String errorOf(byte[] d) {
        return NlMsgHdr.type(d, 0) == NlMsgHdr.NLMSG_ERROR ? "errno " + -Wire.u32(d, NlMsgHdr.LENGTH)
                : "unexpected reply type " + NlMsgHdr.type(d, 0);
    }

    /** OVS_FLOW_CMD_NEW for every flow, {@value #INSTALL_BATCH} per datagram, no ACK (errors only). */
    private long install() {
        NlWriter w = new NlWriter(INSTALL_BATCH * 256);
        long t0 = System.nanoTime();
        for (int i = 0; i < flows; ) {
            w.reset();
            int stop = Math.min(flows, i + INSTALL_BATCH);
            for (; i < stop; i++) {
                putFlowNew(w, i);
            }
            List<byte[]> replies = conn.request(w.buffer(), 0, w.position());
            if (!replies.isEmpty()) {
                throw new IllegalStateException("OVS_FLOW_CMD_NEW failed: " + errorOf(replies.get(0))
                        + " (" + replies.size() + " error replies in a batch ending at flow " + i + ")");
            }
        }
        return System.nanoTime() - t0;
    }

    private void putFlowNew(NlWriter w, int i) {
        int msg = w.beginMessage(flowFamily, NlMsgHdr.F_REQUEST | NlMsgHdr.F_CREATE, ++seq, 0);
        w.putGenlHeader(FlowCmd.NEW, Families.FLOW_VERSION);
        w.putRawU32(dpIfindex);
        int key = w.beginNest(FlowAttr.KEY);
        putMatch(w, i, false);
        w.endNest(key);
        int mask = w.beginNest(FlowAttr.MASK);
        putMatch(w, i, true);
        w.endNest(mask);
        int p = w.reserve(FlowAttr.UFID, 16);
        Wire.putU64(w.buffer(), p, mix(i * 2L + 1));
        Wire.putU64(w.buffer(), p + 8, mix(i * 2L + 2));
        int acts = w.beginNest(FlowAttr.ACTIONS);
        w.putU32(ActionAttr.OUTPUT, OUT_PORT);
        w.endNest(acts);
        w.endMessage(msg);
    }

    /** Flow {@code i}'s key (or, with {@code mask}, its mask) attributes, in OVS's order. */
    private void putMatch(NlWriter w, int i, boolean mask) {
        int j = i % masks;
        int t = i / masks;
        int wild = wildBits(j);
        int l4 = l4Kind(j);
        w.putU32(KeyAttr.PRIORITY, 0);
        w.putU32(KeyAttr.SKB_MARK, 0);
        w.putU32(KeyAttr.RECIRC_ID, mask ? 0xffffffff : 0);
        w.putU32(KeyAttr.IN_PORT, mask ? 0xffffffff : IN_PORT);

        int eth = w.reserve(KeyAttr.ETHERNET, KeyEthernet.LENGTH);
        byte[] b = w.buffer();
        if (mask) {
            Wire.putBe48(b, eth + KeyEthernet.ETH_DST_OFFSET, 0xffff_ffff_ffffL); // the source wildcarded
        } else {
            Wire.putBe48(b, eth + KeyEthernet.ETH_SRC_OFFSET, 0x0200_0000_0000L | (i & 0xffffffL));
            Wire.putBe48(b, eth + KeyEthernet.ETH_DST_OFFSET, ETH_DST);
        }
        w.putBe16(KeyAttr.ETHERTYPE, mask ? 0xffff : ETH_P_IP);

        int ip = w.reserve(KeyAttr.IPV4, KeyIpv4.LENGTH);
        b = w.buffer();
        Wire.putBe32(b, ip + KeyIpv4.IPV4_SRC_OFFSET, mask ? -1 << wild : ipSrc(j, t));
        Wire.putBe32(b, ip + KeyIpv4.IPV4_DST_OFFSET, mask ? 0xffffffff : IP_DST_BASE | j);
        b[ip + KeyIpv4.IPV4_PROTO_OFFSET] = (byte) (mask ? 0xff : IPPROTO_UDP);
        b[ip + KeyIpv4.IPV4_TOS_OFFSET] = 0;
        b[ip + KeyIpv4.IPV4_TTL_OFFSET] = (byte) (mask ? 0 : 64);
        b[ip + KeyIpv4.IPV4_FRAG_OFFSET] = (byte) (mask ? 0xff : 0);

        int udp = w.reserve(KeyAttr.UDP, KeyUdp.LENGTH);
        b = w.buffer();
        Wire.putBe16(b, udp + KeyUdp.UDP_SRC_OFFSET, mask ? (l4 == 0 ? 0xffff : 0) : udpSrc(t));
        Wire.putBe16(b, udp + KeyUdp.UDP_DST_OFFSET, mask ? (l4 <= 1 ? 0xffff : 0) : UDP_DST);
    }

    private static int ipSrc(int j, int t) {
        return IP_SRC_BASE + (t << wildBits(j));
    }

    private static int udpSrc(int t) {
        return 1024 + t % 60000;
    }

    /**
     * One frame per flow, in a random order: frame {@code k} at {@code k * FRAME_STRIDE} hits flow
     * {@code order[k]}; wildcarded fields get random values.
     */
    private byte[] buildFrames(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[flows];
        for (int i = 0; i < flows; i++) {
            order[i] = i;
        }
        for (int i = flows - 1; i > 0; i--) { // Fisher-Yates
            int r = rnd.nextInt(i + 1);
            int x = order[i];
            order[i] = order[r];
            order[r] = x;
        }
        byte[] f = new byte[Math.multiplyExact(flows, FRAME_STRIDE)];
        for (int k = 0; k < flows; k++) {
            writeFrame(f, k * FRAME_STRIDE, order[k], rnd);
        }
        return f;
    }

    private void writeFrame(byte[] f, int o, int i, SplittableRandom rnd) {
        int j = i % masks;
        int t = i / masks;
        int wild = wildBits(j);
        int l4 = l4Kind(j);
        Wire.putBe48(f, o, ETH_DST);
        Wire.putBe48(f, o + 6, 0x0200_0000_0000L | (rnd.nextLong() & 0xff_ffff_ffffL)); // unicast, wildcarded
        Wire.putBe16(f, o + 12, ETH_P_IP);
        int ip = o + 14;
        f[ip] = 0x45;
        f[ip + 1] = (byte) (rnd.nextInt(64) << 2); // DSCP: wildcarded
        Wire.putBe16(f, ip + 2, FRAME_LEN - 14);
        Wire.putBe16(f, ip + 4, rnd.nextInt(1 << 16)); // id
        Wire.putBe16(f, ip + 6, 0x4000); // DF, offset 0: frag=no
        f[ip + 8] = (byte) (1 + rnd.nextInt(255)); // TTL: wildcarded
        f[ip + 9] = IPPROTO_UDP;
        int src = ipSrc(j, t) | (wild == 0 ? 0 : rnd.nextInt(1 << wild));
        Wire.putBe32(f, ip + 12, src);
        Wire.putBe32(f, ip + 16, IP_DST_BASE | j);
        Wire.putBe16(f, ip + 10, ipChecksum(f, ip));
        int udp = ip + 20;
        Wire.putBe16(f, udp, l4 == 0 ? udpSrc(t) : 1 + rnd.nextInt(65535));
        Wire.putBe16(f, udp + 2, l4 <= 1 ? UDP_DST : 1 + rnd.nextInt(65535));
        Wire.putBe16(f, udp + 4, FRAME_LEN - 34);
        for (int p = udp + 8; p < o + FRAME_LEN; p++) {
            f[p] = (byte) rnd.nextInt(256);
        }
    }

    private static int ipChecksum(byte[] f, int ip) {
        int sum = 0;
        for (int p = ip; p < ip + 20; p += 2) {
            if (p != ip + 10) {
                sum += Wire.be16(f, p);
            }
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    private static long mix(long z) {
        z = (z + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- what the benchmark drives ------------------------------------------------------------------

    public int flows() {
        return flows;
    }

    public int masks() {
        return masks;
    }

    /** Nanoseconds the flow installation took (all NEW requests through the transport). */
    public long installNanos() {
        return installNanos;
    }

    public OvsDatapath ovs() {
        return ovs;
    }

    public Datapath datapath() {
        return dp;
    }

    /** Port {@value #IN_PORT}, where the frames come in. */
    public Vport in() {
        return in;
    }

    /** Port {@value #OUT_PORT}'s device, where every hit is sent. */
    public InternalDevice out() {
        return out;
    }

    /** The forwarder of slot 0, driven by the caller's thread ({@link OvsDatapath#detachedForwarder}). */
    public Forwarder forwarder() {
        return forwarder;
    }

    /** All frames, {@link #FRAME_LEN} bytes each at multiples of {@link #FRAME_STRIDE}. */
    public byte[] frames() {
        return frames;
    }

    /** Length of {@link #frames()} in use: {@code flows * FRAME_STRIDE}. */
    public int framesEnd() {
        return flows * FRAME_STRIDE;
    }

    /**
     * A fresh mask cache ({@value #DEFAULT_MASK_CACHE_SIZE} entries, the kernel's default, all empty) or
     * none (size 0: every lookup scans the masks from the first). "Fresh" matters: the cache replaces
     * the probed entry with the smallest hash and never ages one out (the kernel's policy), so entries
     * left by earlier traffic with large hashes can stay for good and keep a later hot set from settling.
     */
    public void maskCache(boolean on) {
        int err = dp.table().setMaskCacheSize(0);
        if (err == 0 && on) {
            err = dp.table().setMaskCacheSize(DEFAULT_MASK_CACHE_SIZE);
        }
        if (err != 0) {
            throw new IllegalStateException("setMaskCacheSize: errno " + -err);
        }
    }

    /**
     * Sends every frame once through the {@link #forwarder()} and checks that each one hit its own
     * flow: the datapath counted {@code flows} hits and no miss, port {@value #OUT_PORT} got them all,
     * and every flow's packet count grew by exactly one. Throws otherwise.
     */
    public void verifyEachFrameHitsItsFlow() {
        long[] before = new long[flows];
        long[] st = new long[4];
        Flow[] byIndex = flowsByIndex();
        for (int i = 0; i < flows; i++) {
            byIndex[i].stats().read(st);
            before[i] = st[0];
        }
        Counters c0 = counters();
        for (int o = 0; o < framesEnd(); o += FRAME_STRIDE) {
            int err = forwarder.receive(in, frames, o, FRAME_LEN);
            if (err != 0) {
                throw new IllegalStateException("frame at " + o + " was refused: errno " + -err);
            }
        }
        counters().checkAllHits(c0, flows);
        for (int i = 0; i < flows; i++) {
            byIndex[i].stats().read(st);
            if (st[0] != before[i] + 1) {
                throw new IllegalStateException("flow " + i + " (mask " + i % masks + ") counted "
                        + (st[0] - before[i]) + " packets for its one frame");
            }
        }
    }

    /** The table's flows by their index {@code i}, found by UFID. */
    private Flow[] flowsByIndex() {
        Flow[] out = new Flow[flows];
        java.util.HashMap<Long, Integer> byUfid = new java.util.HashMap<>(flows * 2);
        for (int i = 0; i < flows; i++) {
            byUfid.put(mix(i * 2L + 1), i);
        }
        DumpCursor c = new DumpCursor();
        for (Flow f = dp.table().dumpNext(c); f != null; f = dp.table().dumpNext(c)) {
            byte[] u = new byte[16];
            f.ufid().copyTo(u, 0);
            Integer i = byUfid.get(Wire.u64(u, 0));
            if (i == null) {
                throw new IllegalStateException("a flow with an unknown UFID");
            }
            out[i] = f;
        }
        for (int i = 0; i < flows; i++) {
            if (out[i] == null) {
                throw new IllegalStateException("flow " + i + " is not in the table");
            }
        }
        return out;
    }

    /** The counters that tell hits from misses, now. */
    public Counters counters() {
        return new Counters(dp.nHit(), dp.nMissed(), dp.nLost(), dp.nMaskHit(), dp.nCacheHit(), out.txPackets(),
                in.stat(Vport.TX_PACKETS));
    }

    /**
     * The datapath's and ports' counters at one moment.
     *
     * @param hit      datapath n_hit
     * @param missed   datapath n_missed
     * @param lost     datapath n_lost
     * @param maskHit  masks probed (n_mask_hit)
     * @param cacheHit lookups the mask cache answered on the first probe (n_cache_hit)
     * @param outTx    frames port {@value #OUT_PORT}'s device was sent
     * @param inRx     frames port {@value #IN_PORT} took in (an internal port counts them as its TX)
     */
    public record Counters(long hit, long missed, long lost, long maskHit, long cacheHit, long outTx, long inRx) {
        /** Throws unless exactly {@code packets} packets since {@code before} all hit and were output. */
        public void checkAllHits(Counters before, long packets) {
            long h = hit - before.hit;
            long m = missed - before.missed;
            long l = lost - before.lost;
            long o = outTx - before.outTx;
            long r = inRx - before.inRx;
            if (h != packets || m != 0 || l != 0 || o != packets || r != packets) {
                throw new IllegalStateException("of " + packets + " packets: " + r + " received, " + h + " hit, "
                        + m + " missed, " + l + " lost, " + o + " output on port " + OUT_PORT);
            }
        }

        /** Masks probed per hit and the share of hits the mask cache answered, since {@code before}. */
        public String lookupSummary(Counters before) {
            long h = Math.max(1, hit - before.hit);
            return String.format(java.util.Locale.ROOT, "%.2f masks probed per packet, %.1f%% mask-cache hits",
                    (double) (maskHit - before.maskHit) / h, 100.0 * (cacheHit - before.cacheHit) / h);
        }
    }

    @Override
    public void close() {
        conn.close();
    }
}
