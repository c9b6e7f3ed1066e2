package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;

/** Set and masked-set actions: frame, checksums (recomputed from scratch) and key stay in step. */
class SetActionsTest {
    static final int NH = 14;

    final RecordingContext ctx = new RecordingContext();

    /** Runs {@code body} then output:1 on {@code frame}; returns the output. */
    RecordingContext.Output run(byte[] frame, Consumer<NlWriter> body) {
        Packet p = Frames.packet(frame);
        byte[] acts = Acts.store(p.key, w -> {
            body.accept(w);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isZero();
        assertThat(ctx.outputs).hasSize(1);
        RecordingContext.Output o = ctx.outputs.get(0);
        ctx.outputs.clear();
        return o;
    }

    /** The key's packet fields are what extraction of the frame gives. */
    static void assertKeyInStep(FlowKey key, byte[] frame) {
        Packet fresh = Frames.packet(frame);
        for (int w = FlowKey.ETH_SRC_OFFSET / 8; w < FlowKey.WORDS; w++) {
            assertThat(Long.toHexString(key.word(w))).as("key word %d", w)
                    .isEqualTo(Long.toHexString(fresh.key.word(w)));
        }
    }

    /** Every checksum of the (Ethernet, untagged) frame equals its recomputation from scratch. */
    static void assertChecksumsRight(byte[] f) {
        int type = Wire.be16(f, 12);
        Packet p = Frames.packet(f);
        int t = p.transportOff - p.off;
        int proto = p.key.ipProto();
        if (type == 0x0800) {
            assertThat(Wire.be16(f, NH + 10)).as("IPv4 header checksum").isEqualTo(Frames.ipv4HeaderChecksum(f, NH));
        }
        if (proto == Frames.SCTP) {
            assertThat(Wire.u32(f, t + 8)).as("SCTP CRC32c").isEqualTo(Frames.sctpCrc(f, t, f.length));
        } else {
            int at = t + Frames.checksumOffset(proto);
            assertThat(Wire.be16(f, at)).as("L4 checksum")
                    .isEqualTo(Frames.l4Checksum(f, NH, t, f.length, proto, type == 0x86dd));
        }
    }

    // ---- IPv4 -----------------------------------------------------------------------------------

    @Test
    void setIpv4RewritesEveryFieldAndFixesTheHeaderAndTcpChecksums() {
        byte[] f = Frames.eth4(Frames.TCP, 1000, 80, 33);
        RecordingContext.Output o = run(f, w -> Acts.set(w, KeyAttr.IPV4,
                Acts.keyIpv4(0xc0a80101, 0xc0a80202, Frames.TCP, 0xb8, 17, 0)));
        byte[] g = o.frame();
        assertThat(Wire.be32(g, NH + 12)).isEqualTo(0xc0a80101);
        assertThat(Wire.be32(g, NH + 16)).isEqualTo(0xc0a80202);
        assertThat(g[NH + 1] & 0xff).isEqualTo(0xb8);
        assertThat(g[NH + 8] & 0xff).isEqualTo(17);
        assertChecksumsRight(g);
        assertKeyInStep(o.key(), g);
    }

    @Test
    void maskedIpv4SetsChangeOnlyTheMaskedBits() {
        byte[] f = Frames.eth4(Frames.UDP, 1000, 53, 20);
        RecordingContext.Output o = run(f, w -> Acts.setMasked(w, KeyAttr.IPV4,
                Acts.keyIpv4(0x0000ff00, 0, 0, 0x03, 0, 0), Acts.keyIpv4(0x0000ff00, 0, 0, 0x03, 0, 0)));
        byte[] g = o.frame();
        assertThat(Wire.be32(g, NH + 12)).isEqualTo((Frames.IP_A & 0xffff00ff) | 0xff00);
        assertThat(g[NH + 1] & 0xff).as("ECN bits only").isEqualTo(0x28 | 0x03);
        assertChecksumsRight(g);
        assertKeyInStep(o.key(), g);
    }

    @Test
    void aUdpChecksumOfZeroMeansNoneAndStaysZero() {
        byte[] f = Frames.eth4(Frames.UDP, 1000, 53, 20);
        Wire.putBe16(f, NH + 20 + 6, 0);
        RecordingContext.Output o = run(f, w -> Acts.setIpv4Dst(w, 0x08080808));
        assertThat(Wire.be16(o.frame(), NH + 20 + 6)).isZero();
        assertThat(Wire.be16(o.frame(), NH + 10)).isEqualTo(Frames.ipv4HeaderChecksum(o.frame(), NH));
    }

    @Test
    void laterIpv4FragmentsKeepTheirL4BytesAlone() {
        byte[] f = Frames.eth4(Frames.TCP, 1000, 80, 33);
        Wire.putBe16(f, NH + 6, 0x0010); // offset 128 bytes
        Wire.putBe16(f, NH + 10, Frames.ipv4HeaderChecksum(f, NH));
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.setMasked(w, KeyAttr.IPV4, Acts.keyIpv4(0, 0x0a0000aa, 0, 0, 0, 0), Acts.keyIpv4(0, -1, 0, 0, 0, 0));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        byte[] g = ctx.onlyOutputFrame();
        assertThat(java.util.Arrays.copyOfRange(g, NH + 20, g.length))
                .isEqualTo(java.util.Arrays.copyOfRange(f, NH + 20, f.length));
        assertThat(Wire.be16(g, NH + 10)).isEqualTo(Frames.ipv4HeaderChecksum(g, NH));
    }

    @Test
    void settingAnAddressClearsThePacketHash() {
        Packet p = Frames.packet(Frames.eth4(Frames.TCP, 1, 2, 0));
        p.hash = 1234;
        p.l4Hash = true;
        byte[] acts = Acts.store(p.key, w -> {
            Acts.setIpv4Dst(w, 0x0a0000aa);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(p.hash).isZero();
        assertThat(p.l4Hash).isFalse();
    }

    @Test
    void randomIpv4AndPortRewritesAlwaysLeaveCorrectChecksums() {
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 3000; i++) {
            int proto = r.nextBoolean() ? Frames.TCP : Frames.UDP;
            byte[] f = Frames.eth4(proto, r.nextInt(65536), r.nextInt(65536), r.nextInt(40));
            int src = r.nextInt();
            int dst = r.nextInt();
            int tos = r.nextInt(256);
            int ttl = r.nextInt(256);
            int sp = r.nextInt(65536);
            int dp = r.nextInt(65536);
            int portMask = r.nextInt(65536);
            RecordingContext.Output o = run(f, w -> {
                Acts.setMasked(w, KeyAttr.IPV4, Acts.keyIpv4(src, dst, 0, tos, ttl, 0),
                        Acts.keyIpv4(r.nextInt(), r.nextInt(), 0, r.nextInt(256), r.nextInt(256), 0));
                Acts.setMasked(w, proto == Frames.TCP ? KeyAttr.TCP : KeyAttr.UDP, Acts.keyPorts(sp, dp),
                        Acts.keyPorts(portMask, ~portMask));
            });
            assertChecksumsRight(o.frame());
            assertKeyInStep(o.key(), o.frame());
        }
    }

    // ---- IPv6 -----------------------------------------------------------------------------------

    @Test
    void setIpv6AddressesFixTheTcpUdpAndIcmpv6PseudoHeaderChecksums() {
        for (int proto : new int[] {Frames.TCP, Frames.UDP, Frames.ICMPV6}) {
            byte[] f = Frames.eth6(proto, 135, 0, 24);
            byte[] src = Wire.unhex("fe800000000000000000000000000abc");
            byte[] dst = Wire.unhex("ff020000000000000000000000000001");
            RecordingContext.Output o = run(f, w -> Acts.set(w, KeyAttr.IPV6,
                    Acts.keyIpv6(src, dst, 0x54321, proto, 0x28, 64, 0)));
            byte[] g = o.frame();
            assertThat(java.util.Arrays.copyOfRange(g, NH + 8, NH + 24)).isEqualTo(src);
            assertThat(java.util.Arrays.copyOfRange(g, NH + 24, NH + 40)).isEqualTo(dst);
            assertThat(Wire.be32(g, NH) & 0xfffff).isEqualTo(0x54321);
            assertChecksumsRight(g);
            assertKeyInStep(o.key(), g);
        }
    }

    @Test
    void randomIpv6RewritesAlwaysLeaveCorrectChecksums() {
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 2000; i++) {
            int proto = new int[] {Frames.TCP, Frames.UDP, Frames.ICMPV6}[r.nextInt(3)];
            byte[] f = Frames.eth6(proto, r.nextInt(256), r.nextInt(256), r.nextInt(40));
            byte[] v = new byte[40];
            byte[] m = new byte[40];
            r.nextBytes(v);
            r.nextBytes(m);
            Wire.putBe32(v, 32, Wire.be32(v, 32) & 0xfffff);
            Wire.putBe32(m, 32, Wire.be32(m, 32) & 0xfffff);
            m[36] = 0;
            m[39] = 0;
            RecordingContext.Output o = run(f, w -> Acts.setMasked(w, KeyAttr.IPV6, v, m));
            assertChecksumsRight(o.frame());
            assertKeyInStep(o.key(), o.frame());
        }
    }

    /** Ethernet + IPv6 + routing header (segments left {@code left}) + UDP. */
    static byte[] withRoutingHeader(int left) {
        byte[] udp = Frames.l4(Frames.UDP, 1, 2, Frames.payload(10));
        byte[] rh = new byte[24];
        rh[0] = (byte) Frames.UDP;
        rh[1] = 2; // (2 + 1) * 8 bytes
        rh[3] = (byte) left;
        byte[] f = Frames.cat(Frames.ethHeader(0x86dd), Frames.ipv6(Frames.IP6_A, Frames.IP6_B, 43, 0, 0, 64,
                Frames.cat(rh, udp)));
        return Frames.fixChecksums(f);
    }

    @Test
    void aRoutingHeaderWithSegmentsLeftKeepsTheL4ChecksumWhenTheDestinationChanges() {
        byte[] f = withRoutingHeader(1);
        byte[] dst = Wire.unhex("20010db80000000000000000000000ff");
        byte[] v = Acts.keyIpv6(new byte[16], dst, 0, 0, 0, 0, 0);
        byte[] m = Acts.keyIpv6(new byte[16], Acts.ones(16), 0, 0, 0, 0, 0);
        byte[] g = run(f, w -> Acts.setMasked(w, KeyAttr.IPV6, v, m)).frame();
        int t = NH + 40 + 24;
        assertThat(Wire.be16(g, t + 6)).isEqualTo(Wire.be16(f, t + 6));

        byte[] f0 = withRoutingHeader(0);
        byte[] g0 = run(f0, w -> Acts.setMasked(w, KeyAttr.IPV6, v, m)).frame();
        assertThat(Wire.be16(g0, t + 6)).as("no segments left: updated")
                .isEqualTo(Frames.l4Checksum(g0, NH, t, g0.length, Frames.UDP, true));
    }

    @Test
    void ipv6TrafficClassFlowLabelAndHopLimitAreMaskedWrites() {
        byte[] f = Frames.eth6(Frames.UDP, 1, 2, 4); // tclass 0x28, label 0x12345, hlim 64
        byte[] v = Acts.keyIpv6(new byte[16], new byte[16], 0x00f00, 0, 0x01, 0x05, 0);
        byte[] m = Acts.keyIpv6(new byte[16], new byte[16], 0x00f00, 0, 0x03, 0x0f, 0);
        RecordingContext.Output o = run(f, w -> Acts.setMasked(w, KeyAttr.IPV6, v, m));
        byte[] g = o.frame();
        int word = Wire.be32(g, NH);
        assertThat(word >>> 28).isEqualTo(6);
        assertThat((word >> 20) & 0xff).isEqualTo(0x29);
        assertThat(word & 0xfffff).isEqualTo(0x12f45);
        assertThat(g[NH + 7] & 0xff).isEqualTo(0x45);
        assertChecksumsRight(g);
        assertKeyInStep(o.key(), g);
    }

    // ---- L4 -------------------------------------------------------------------------------------

    @Test
    void setTcpAndUdpPortsFixTheirChecksums() {
        RecordingContext.Output tcp = run(Frames.eth4(Frames.TCP, 1000, 80, 7),
                w -> Acts.set(w, KeyAttr.TCP, Acts.keyPorts(2000, 8080)));
        assertThat(Wire.be16(tcp.frame(), NH + 20)).isEqualTo(2000);
        assertThat(Wire.be16(tcp.frame(), NH + 22)).isEqualTo(8080);
        assertChecksumsRight(tcp.frame());
        assertKeyInStep(tcp.key(), tcp.frame());

        RecordingContext.Output udp = run(Frames.eth6(Frames.UDP, 1000, 53, 7),
                w -> Acts.setMasked(w, KeyAttr.UDP, Acts.keyPorts(0, 5353), Acts.keyPorts(0, 0xffff)));
        assertThat(Wire.be16(udp.frame(), NH + 40)).isEqualTo(1000);
        assertThat(Wire.be16(udp.frame(), NH + 42)).isEqualTo(5353);
        assertChecksumsRight(udp.frame());
        assertKeyInStep(udp.key(), udp.frame());
    }

    @Test
    void setUdpWithoutChecksumJustWritesThePorts() {
        byte[] f = Frames.eth4(Frames.UDP, 1000, 53, 7);
        Wire.putBe16(f, NH + 20 + 6, 0);
        RecordingContext.Output o = run(f, w -> Acts.set(w, KeyAttr.UDP, Acts.keyPorts(1, 2)));
        assertThat(Wire.be16(o.frame(), NH + 20)).isEqualTo(1);
        assertThat(Wire.be16(o.frame(), NH + 26)).isZero();
        assertKeyInStep(o.key(), o.frame());
    }

    @Test
    void setSctpRecomputesTheCrc32c() {
        byte[] f = Frames.eth4(Frames.SCTP, 5000, 6000, 30);
        RecordingContext.Output o = run(f, w -> Acts.set(w, KeyAttr.SCTP, Acts.keyPorts(7000, 8000)));
        assertThat(Wire.be16(o.frame(), NH + 20)).isEqualTo(7000);
        assertChecksumsRight(o.frame());
        assertKeyInStep(o.key(), o.frame());
    }

    @Test
    void setSctpCarriesAWrongCrcThrough() {
        byte[] f = Frames.eth6(Frames.SCTP, 5000, 6000, 30);
        int t = NH + 40;
        int error = 0x00ff0001;
        Wire.putU32(f, t + 8, Wire.u32(f, t + 8) ^ error);
        byte[] g = run(f, w -> Acts.set(w, KeyAttr.SCTP, Acts.keyPorts(1, 2))).frame();
        assertThat(Wire.u32(g, t + 8) ^ Frames.sctpCrc(g, t, g.length)).isEqualTo(error);
    }

    // ---- L2 and metadata ------------------------------------------------------------------------

    @Test
    void setEthernetRewritesTheAddressesAndTheKey() {
        byte[] eth = Wire.unhex("0a0b0c0d0e0f" + "ffffffffffff");
        RecordingContext.Output o = run(Frames.eth4(Frames.UDP, 1, 2, 0), w -> Acts.set(w, KeyAttr.ETHERNET, eth));
        assertThat(Frames.hex(java.util.Arrays.copyOf(o.frame(), 12))).isEqualTo("ffffffffffff0a0b0c0d0e0f");
        assertKeyInStep(o.key(), o.frame());

        RecordingContext.Output m = run(Frames.eth4(Frames.UDP, 1, 2, 0), w -> Acts.setMasked(w, KeyAttr.ETHERNET,
                Wire.unhex("000000000099" + "000000000000"), Wire.unhex("0000000000ff" + "000000000000")));
        assertThat(Frames.hex(java.util.Arrays.copyOf(m.frame(), 12))).isEqualTo("020000000002" + "020000000099");
        assertKeyInStep(m.key(), m.frame());
    }

    @Test
    void priorityAndMarkAreMaskedWritesOfPacketMetadataAndKey() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 0));
        p.priority = 0x11110000;
        p.mark = 0x0000ffff;
        byte[] acts = Acts.store(p.key, w -> {
            byte[] pv = new byte[4];
            Wire.putU32(pv, 0, 0x00002222);
            Acts.setMasked(w, KeyAttr.PRIORITY, pv, Acts.ones(4));
            byte[] mv = new byte[4];
            byte[] mm = new byte[4];
            Wire.putU32(mv, 0, 0x00ab0000);
            Wire.putU32(mm, 0, 0x00ff00ff);
            Acts.setMasked(w, KeyAttr.SKB_MARK, mv, mm);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        ctx.run(p, acts);
        assertThat(p.priority).isEqualTo(0x00002222);
        assertThat(p.mark).isEqualTo(0x00abff00);
        assertThat(ctx.outputs.get(0).key().u32(FlowKey.PRIORITY_OFFSET)).isEqualTo(0x00002222);
        assertThat(ctx.outputs.get(0).key().u32(FlowKey.SKB_MARK_OFFSET)).isEqualTo(0x00abff00);
    }

    @Test
    void conntrackFieldsCannotBeSetSoThePacketIsDroppedWithEinval() {
        Packet p = Frames.packet(Frames.eth4(Frames.UDP, 1, 2, 0));
        byte[] acts = Acts.store(p.key, w -> {
            byte[] v = new byte[4];
            Wire.putU32(v, 0, 7);
            Acts.set(w, KeyAttr.CT_MARK, v);
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        assertThat(ctx.run(p, acts)).isEqualTo(-Errno.EINVAL);
        assertThat(ctx.outputs).isEmpty();
    }

    @Test
    void aSetOnATruncatedPacketFailsWithEnomemAndDropsIt() {
        byte[] f = Frames.eth4(Frames.TCP, 1, 2, 0);
        Packet p = Frames.packet(f);
        byte[] acts = Acts.store(p.key, w -> {
            Acts.set(w, KeyAttr.TCP, Acts.keyPorts(3, 4));
            w.putU32(ActionAttr.OUTPUT, 1);
        });
        p.len -= 10; // the TCP header no longer fits
        assertThat(ctx.run(p, acts)).isEqualTo(-Errno.ENOMEM);
        assertThat(ctx.outputs).isEmpty();
    }
}
