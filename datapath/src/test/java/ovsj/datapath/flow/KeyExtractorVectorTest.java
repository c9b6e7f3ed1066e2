package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ovsj.datapath.Packet;
import ovsj.netlink.NlAttr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.netlink.testing.KernelVectors;
import ovsj.netlink.testing.KernelVectors.Exchange;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.KeyEmitter;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.PacketAttr;

/**
 * Byte-exact against the Linux 6.1 module: every OVS_PACKET_CMD_MISS / ACTION upcall recorded in the
 * {@code packet} scenario carries the key the kernel extracted from the packet it also carries. The
 * key extracted here, emitted as the kernel emits it, must equal that KEY attribute byte for byte; the
 * HASH attribute's software and L4 bits must equal ours.
 */
class KeyExtractorVectorTest {
    /** Bits 32 and 33 of {@code OVS_PACKET_ATTR_HASH}. */
    private static final long HASH_SW_BIT = 1L << 32;
    private static final long HASH_L4_BIT = 1L << 33;
    private static final int UPCALL_HEADER = 16 + 4 + 4;

    /** One upcall: the step that produced it, the attributes we need. */
    record Upcall(Exchange step, int cmd, byte[] keyAttr, byte[] packet, long hash) {
        @Override
        public String toString() {
            return step.step() + " cmd " + cmd;
        }
    }

    static List<Upcall> upcalls() {
        int packetFamily = KernelVectors.familyId("ovs_packet");
        List<Upcall> out = new ArrayList<>();
        for (Exchange x : KernelVectors.load("packet")) {
            for (byte[] r : x.replies()) {
                if (Wire.u16(r, 4) != packetFamily) {
                    continue;
                }
                int cmd = Wire.u8(r, 16);
                if (cmd != 1 && cmd != 2) {
                    continue;
                }
                byte[] key = null;
                byte[] pkt = null;
                long hash = -1;
                NlAttrReader a = new NlAttrReader().wrap(r, UPCALL_HEADER, Wire.u32(r, 0) - UPCALL_HEADER);
                while (a.next()) {
                    int t = a.type();
                    if (t == PacketAttr.KEY) {
                        key = Arrays.copyOfRange(r, a.offset(), a.offset() + a.length());
                    } else if (t == PacketAttr.PACKET) {
                        pkt = Arrays.copyOfRange(r, a.payloadOffset(), a.payloadOffset() + a.payloadLength());
                    } else if (t == PacketAttr.HASH) {
                        hash = Wire.u64(r, a.payloadOffset());
                    }
                }
                out.add(new Upcall(x, cmd, key, pkt, hash));
            }
        }
        return out;
    }

    static Stream<Upcall> injected() {
        return upcalls().stream().filter(u -> u.step().kind().equals("inject"));
    }

    static Stream<Upcall> all() {
        return upcalls().stream();
    }

    @Test
    void theScenarioHasMissAndActionUpcalls() {
        List<Upcall> u = upcalls();
        assertThat(u).extracting(Upcall::cmd).contains(1, 2);
        assertThat(injected().count()).isGreaterThanOrEqualTo(7);
    }

    static byte[] emit(FlowKey key) {
        NlWriter w = new NlWriter(1024);
        KeyEmitter.put(w, key, key, PacketAttr.KEY, false);
        return w.toByteArray();
    }

    static int inPortOf(byte[] keyAttr) {
        NlAttrReader a = new NlAttrReader().wrap(keyAttr, NlAttr.HEADER_LENGTH, keyAttr.length - NlAttr.HEADER_LENGTH);
        while (a.next()) {
            if (a.type() == KeyAttr.IN_PORT) {
                return Wire.u32(keyAttr, a.payloadOffset());
            }
        }
        throw new AssertionError("no IN_PORT");
    }

    /** Injected frames: the upcall's KEY is what we extract from the injected frame on its port. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("injected")
    void injectedFrameKeyIsByteExact(Upcall u) {
        byte[] frame = u.step().packet();
        int port = switch (u.step().ifname()) {
            case "pk1" -> 1;
            case "pk2" -> 2;
            default -> throw new AssertionError(u.step().ifname());
        };
        assertThat(u.packet()).as("upcall PACKET is the injected frame").isEqualTo(frame);
        Packet p = new Packet().wrap(frame, 0, frame.length, port);
        assertThat(KeyExtractor.extract(p)).isZero();
        assertThat(Wire.hex(emit(p.key), 0, emit(p.key).length)).isEqualTo(Wire.hex(u.keyAttr(), 0, u.keyAttr().length));

        assertThat(p.swHash).as("extract alone leaves the hash to skb_get_hash").isFalse();
        int h = KeyExtractor.hash(p);
        assertThat(h).isEqualTo(p.hash).isNotZero();
        assertThat(p.swHash).isEqualTo((u.hash() & HASH_SW_BIT) != 0);
        assertThat(p.l4Hash).isEqualTo((u.hash() & HASH_L4_BIT) != 0);
        assertThat(KeyExtractor.hash(p)).as("cached").isEqualTo(h);
    }

    /**
     * Every upcall, EXECUTE ones included (their key comes from the request's metadata and
     * {@code key_extract} on the packet, possibly after set actions that updated both): re-extracting
     * the upcall's PACKET on the key's in_port gives the KEY. EXECUTE upcalls carry HASH 0: the kernel
     * computes no hash on that path, and neither does extraction.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void upcallPacketReextractsToItsKey(Upcall u) {
        Packet p = new Packet().wrap(u.packet(), 0, u.packet().length, inPortOf(u.keyAttr()));
        assertThat(KeyExtractor.extract(p)).isZero();
        assertThat(emit(p.key)).isEqualTo(u.keyAttr());
        if (u.hash() == 0) {
            assertThat(p.swHash || p.l4Hash).isFalse();
        }
    }

    @Test
    void hashIsSymmetricAndSpreads() {
        byte[] frame = KernelVectors.step("packet", "006").packet();
        Packet a = new Packet().wrap(frame, 0, frame.length, 1);
        KeyExtractor.extract(a);
        int ha = KeyExtractor.hash(a);
        // the same flow in the other direction: swap IP addresses and ports
        byte[] rev = frame.clone();
        swap(rev, 14 + 12, 14 + 16, 4);
        swap(rev, 14 + 20, 14 + 22, 2);
        Packet b = new Packet().wrap(rev, 0, rev.length, 1);
        KeyExtractor.extract(b);
        assertThat(KeyExtractor.hash(b)).isEqualTo(ha);
        // another port: another hash
        byte[] other = frame.clone();
        other[14 + 21]++;
        Packet c = new Packet().wrap(other, 0, other.length, 1);
        KeyExtractor.extract(c);
        assertThat(KeyExtractor.hash(c)).isNotEqualTo(ha);
    }

    private static void swap(byte[] b, int i, int j, int n) {
        for (int k = 0; k < n; k++) {
            byte t = b[i + k];
            b[i + k] = b[j + k];
            b[j + k] = t;
        }
    }
}
