package ovsj.datapath.table;

import ovsj.odp.FlowKey;
import ovsj.odp.FlowMask;
import ovsj.odp.Ufid;

/** Test helpers: keys, masks and flows over a few common fields. */
final class Flows {
    static final int CPUS = 4;

    private Flows() {
    }

    /** A packet key: in_port, eth_type 0x0800, IPv4 src/dst, TCP ports. */
    static FlowKey key(int inPort, int src, int dst, int sport, int dport) {
        FlowKey k = new FlowKey();
        k.u16(FlowKey.IN_PORT_OFFSET, inPort);
        k.u16(FlowKey.ETH_TYPE_OFFSET, 0x0800);
        k.u8(FlowKey.IP_PROTO_OFFSET, 6);
        k.u32(FlowKey.IPV4_SRC_OFFSET, src);
        k.u32(FlowKey.IPV4_DST_OFFSET, dst);
        k.u16(FlowKey.TP_SRC_OFFSET, sport);
        k.u16(FlowKey.TP_DST_OFFSET, dport);
        return k;
    }

    /** A mask over in_port only. */
    static FlowMask maskPort() {
        FlowKey m = new FlowKey();
        m.u16(FlowKey.IN_PORT_OFFSET, 0xffff);
        return new FlowMask(m);
    }

    /** A mask over in_port, eth_type and the IPv4 destination under {@code dstMask}. */
    static FlowMask maskDst(int dstMask) {
        FlowKey m = new FlowKey();
        m.u16(FlowKey.IN_PORT_OFFSET, 0xffff);
        m.u16(FlowKey.ETH_TYPE_OFFSET, 0xffff);
        m.u32(FlowKey.IPV4_DST_OFFSET, dstMask);
        return new FlowMask(m);
    }

    /** A mask over the whole 5-tuple and in_port. */
    static FlowMask maskFiveTuple() {
        FlowKey m = new FlowKey();
        m.u16(FlowKey.IN_PORT_OFFSET, 0xffff);
        m.u16(FlowKey.ETH_TYPE_OFFSET, 0xffff);
        m.u8(FlowKey.IP_PROTO_OFFSET, 0xff);
        m.u32(FlowKey.IPV4_SRC_OFFSET, -1);
        m.u32(FlowKey.IPV4_DST_OFFSET, -1);
        m.u16(FlowKey.TP_SRC_OFFSET, 0xffff);
        m.u16(FlowKey.TP_DST_OFFSET, 0xffff);
        return new FlowMask(m);
    }

    static Ufid ufid(long id) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id >>> (8 * i));
            b[8 + i] = (byte) ~(id >>> (8 * i));
        }
        return Ufid.of(b, 0, 16);
    }

    /** A flow of {@code unmasked & mask}; identified by {@code ufid}, or by its key when null. */
    static Flow flow(FlowKey unmasked, FlowMask mask, Ufid ufid) {
        FlowKey masked = new FlowKey();
        masked.mask(unmasked, mask);
        return new Flow(masked, new FlowKey(unmasked), ufid, new byte[0], CPUS);
    }

    /** Inserts and returns a flow. */
    static Flow insert(FlowTable t, FlowKey unmasked, FlowMask mask, Ufid ufid) {
        Flow f = flow(unmasked, mask, ufid);
        t.insert(f, mask);
        return f;
    }

    /** True if {@code packet & flow.mask == flow.key} (the reference match). */
    static boolean matches(Flow f, FlowKey packet) {
        long[] m = f.mask().key().words();
        long[] k = f.key().words();
        long[] p = packet.words();
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((p[i] & m[i]) != k[i]) {
                return false;
            }
        }
        return true;
    }
}
