package ovsj.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NlAttrReaderTest {

    private static byte[] attrs(java.util.function.Consumer<NlWriter> body) {
        NlWriter w = new NlWriter(64);
        body.accept(w);
        return w.toByteArray();
    }

    @Test
    void iteratesAttributesInOrder() {
        byte[] b = attrs(w -> {
            w.putU32(1, 7);
            w.putString(2, "dp0");
            w.putFlag(3);
            w.putU8(4, 0xfe);
        });
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        List<Integer> types = new ArrayList<>();
        while (r.next()) {
            types.add(r.type());
            switch (r.type()) {
                case 1 -> assertThat(r.u32()).isEqualTo(7);
                case 2 -> assertThat(r.string()).isEqualTo("dp0");
                case 3 -> assertThat(r.payloadLength()).isZero();
                case 4 -> assertThat(r.u8()).isEqualTo(0xfe);
                default -> throw new AssertionError(r.type());
            }
        }
        assertThat(types).containsExactly(1, 2, 3, 4);
        assertThat(r.remaining()).isZero();
    }

    @Test
    void iteratesInsideAWindowOfALargerBuffer() {
        byte[] b = attrs(w -> {
            w.putU32(1, 1);
            w.putU32(2, 2);
            w.putU32(3, 3);
        });
        NlAttrReader r = new NlAttrReader().wrap(b, 8, 8);
        assertThat(r.next()).isTrue();
        assertThat(r.type()).isEqualTo(2);
        assertThat(r.offset()).isEqualTo(8);
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isZero();
    }

    @Test
    void emptyRunHasNothingAndNothingRemaining() {
        NlAttrReader r = new NlAttrReader().wrap(new byte[0], 0, 0);
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isZero();
    }

    @Test
    void stopsOnATruncatedHeaderAndReportsTheRemainder() {
        byte[] b = attrs(w -> w.putU32(1, 1));
        byte[] t = java.util.Arrays.copyOf(b, b.length + 3); // 3 stray bytes: not even a header
        NlAttrReader r = new NlAttrReader().wrap(t, 0, t.length);
        assertThat(r.next()).isTrue();
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isEqualTo(3);
    }

    @Test
    void stopsOnNlaLenShorterThanTheHeader() {
        byte[] b = attrs(w -> {
            w.putU32(1, 1);
            w.putU32(2, 2);
        });
        Wire.putU16(b, 8, 3); // second attribute: nla_len 3 < 4
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        assertThat(r.next()).isTrue();
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isEqualTo(8);

        Wire.putU16(b, 0, 0); // nla_len 0 at the start
        r.wrap(b, 0, b.length);
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isEqualTo(16);
    }

    @Test
    void stopsOnNlaLenLongerThanWhatRemains() {
        byte[] b = attrs(w -> {
            w.putU32(1, 1);
            w.putU32(2, 2);
        });
        Wire.putU16(b, 8, 9); // claims 9 bytes, 8 remain
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        assertThat(r.next()).isTrue();
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isEqualTo(8);
        assertThat(NlAttrReader.find(b, 0, b.length, 2)).isEqualTo(-1);
        assertThat(NlAttrReader.find(b, 0, b.length, 1)).isZero();
    }

    @Test
    void remainingGoesNegativeWhenTheLastAttributeIsUnpaddedAtTheEnd() {
        // a u8 attribute (nla_len 5) that ends the run without its 3 padding bytes: the kernel's rem
        // becomes 5 - NLA_ALIGN(5) = -3 and the loop ends without complaint
        byte[] b = attrs(w -> {
            w.putU32(1, 1);
            w.putU8(2, 0x42);
        });
        int len = 8 + 5;
        NlAttrReader r = new NlAttrReader().wrap(b, 0, len);
        assertThat(r.next()).isTrue();
        assertThat(r.next()).isTrue();
        assertThat(r.u8()).isEqualTo(0x42);
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isEqualTo(-3);
    }

    @Test
    void trailingBytesAfterValidAttributesAreRemaining() {
        byte[] b = attrs(w -> {
            w.putU32(1, 1);
            w.putRaw(new byte[] {1, 2, 3, 4, 5, 6, 7}, 0, 7); // 8 bytes of junk whose "nla_len" is 0x0201
        });
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        assertThat(r.next()).isTrue();
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isEqualTo(8);
    }

    @Test
    void nestedIteratesThePayloadOfANest() {
        byte[] b = attrs(w -> {
            w.putU32(1, 1);
            int n = w.beginNestFlagged(2);
            w.putU16(10, 0x1234);
            int inner = w.beginNest(11);
            w.putBe32(20, 0x0a000001);
            w.endNest(inner);
            w.endNest(n);
            w.putU32(3, 3);
        });
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        assertThat(r.next()).isTrue();
        assertThat(r.next()).isTrue();
        assertThat(r.type()).isEqualTo(2);
        assertThat(r.rawType()).isEqualTo(0x8002);
        NlAttrReader n = r.nested();
        assertThat(n.next()).isTrue();
        assertThat(n.type()).isEqualTo(10);
        assertThat(n.u16()).isEqualTo(0x1234);
        assertThat(n.next()).isTrue();
        assertThat(n.type()).isEqualTo(11);
        NlAttrReader nn = n.nested();
        assertThat(nn.next()).isTrue();
        assertThat(nn.be32()).isEqualTo(0x0a000001);
        assertThat(nn.next()).isFalse();
        assertThat(n.next()).isFalse();
        assertThat(n.remaining()).isZero();
        // the outer reader was not disturbed
        assertThat(r.next()).isTrue();
        assertThat(r.type()).isEqualTo(3);
        assertThat(r.next()).isFalse();
    }

    @Test
    void readsValuesInBothByteOrders() {
        byte[] b = attrs(w -> {
            w.putU16(1, 0xabcd);
            w.putBe16(2, 0xabcd);
            w.putU32(3, 0x89abcdef);
            w.putBe32(4, 0x89abcdef);
            w.putU64(5, 0x0123456789abcdefL);
            w.putBe64(6, 0x0123456789abcdefL);
        });
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        r.next();
        assertThat(r.u16()).isEqualTo(0xabcd);
        assertThat(r.be16()).isEqualTo(0xcdab);
        r.next();
        assertThat(r.be16()).isEqualTo(0xabcd);
        assertThat(r.u16()).isEqualTo(0xcdab);
        r.next();
        assertThat(r.u32()).isEqualTo(0x89abcdef);
        assertThat(r.be32()).isEqualTo(0xefcdab89);
        r.next();
        assertThat(r.be32()).isEqualTo(0x89abcdef);
        assertThat(r.bytes()).containsExactly(0x89, 0xab, 0xcd, 0xef);
        r.next();
        assertThat(r.u64()).isEqualTo(0x0123456789abcdefL);
        assertThat(r.be64()).isEqualTo(0xefcdab8967452301L);
        r.next();
        assertThat(r.be64()).isEqualTo(0x0123456789abcdefL);
        assertThat(r.attrBytes()).hasSize(12);
        assertThat(r.next()).isFalse();
    }

    @Test
    void stringStopsAtTheFirstNulOrTheEndOfThePayload() {
        byte[] b = attrs(w -> {
            w.putBytes(1, new byte[] {'a', 0, 'b'});
            w.putBytes(2, new byte[] {'x', 'y'});
        });
        NlAttrReader r = new NlAttrReader().wrap(b, 0, b.length);
        r.next();
        assertThat(r.string()).isEqualTo("a");
        r.next();
        assertThat(r.string()).isEqualTo("xy");
    }

    // ---- properties ---------------------------------------------------------------------------------

    /** A generated attribute: a leaf with a payload, or a nest of children. */
    private record Gen(int rawType, byte[] payload, List<Gen> children) {
    }

    private static List<Gen> randomAttrs(SplittableRandom rnd, int depth) {
        int n = rnd.nextInt(0, 8);
        List<Gen> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int type = rnd.nextInt(0, 1 << 14);
            if (depth < 3 && rnd.nextInt(5) == 0) {
                out.add(new Gen(type | (rnd.nextBoolean() ? NlAttr.F_NESTED : 0), null, randomAttrs(rnd, depth + 1)));
            } else {
                byte[] p = new byte[rnd.nextInt(0, 41)];
                rnd.nextBytes(p);
                out.add(new Gen(type | (rnd.nextInt(4) == 0 ? NlAttr.F_NET_BYTEORDER : 0), p, null));
            }
        }
        return out;
    }

    private static void write(NlWriter w, List<Gen> attrs) {
        for (Gen g : attrs) {
            if (g.children() != null) {
                int n = w.beginNest(g.rawType());
                write(w, g.children());
                w.endNest(n);
            } else {
                w.putBytes(g.rawType(), g.payload());
            }
        }
    }

    private static void assertReadsBack(NlAttrReader r, List<Gen> expected) {
        for (Gen g : expected) {
            assertThat(r.next()).isTrue();
            assertThat(r.rawType()).isEqualTo(g.rawType());
            assertThat(r.type()).isEqualTo(g.rawType() & NlAttr.TYPE_MASK);
            if (g.children() != null) {
                assertReadsBack(r.nested(), g.children());
            } else {
                assertThat(r.payloadLength()).isEqualTo(g.payload().length);
                assertThat(r.bytes()).isEqualTo(g.payload());
            }
        }
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isZero();
    }

    @Test
    void randomAttributeListsWrittenWithNlWriterReadBackIdentically() {
        SplittableRandom rnd = new SplittableRandom(2014L);
        for (int iter = 0; iter < 2000; iter++) {
            List<Gen> attrs = randomAttrs(rnd, 0);
            int lead = rnd.nextInt(0, 3) * 4;
            NlWriter w = new NlWriter(16);
            for (int i = 0; i < lead; i += 4) {
                w.putRawU32(-1);
            }
            write(w, attrs);
            byte[] b = w.toByteArray();
            assertThat(b.length % 4).isZero();
            assertReadsBack(new NlAttrReader().wrap(b, lead, b.length - lead), attrs);
        }
    }

    @Test
    void randomGarbageNeverThrowsAndNeverReadsOutsideItsWindow() {
        SplittableRandom rnd = new SplittableRandom(20141120L);
        for (int iter = 0; iter < 20000; iter++) {
            byte[] b = new byte[rnd.nextInt(0, 96)];
            rnd.nextBytes(b);
            // make plausible lengths common, so that iteration gets somewhere
            for (int p = 0; p + 2 <= b.length; p += 4) {
                if (rnd.nextInt(3) > 0) {
                    Wire.putU16(b, p, rnd.nextInt(0, 24));
                }
            }
            int off = b.length == 0 ? 0 : rnd.nextInt(0, b.length + 1);
            int len = rnd.nextInt(0, b.length - off + 1);
            walk(new NlAttrReader().wrap(b, off, len), off, len, 0);
            NlAttrReader.find(b, off, len, rnd.nextInt(0, 24));
        }
    }

    private static void walk(NlAttrReader r, int off, int len, int depth) {
        int consumed = 0;
        while (r.next()) {
            assertThat(r.offset()).isGreaterThanOrEqualTo(off);
            assertThat(r.offset() + r.length()).isLessThanOrEqualTo(off + len);
            assertThat(r.length()).isGreaterThanOrEqualTo(NlAttr.HEADER_LENGTH);
            consumed += NlAttr.align(r.length());
            r.string();
            r.bytes();
            r.attrBytes();
            int p = r.payloadLength();
            if (p >= 1) {
                r.u8();
            }
            if (p >= 2) {
                r.u16();
                r.be16();
            }
            if (p >= 4) {
                r.u32();
                r.be32();
            }
            if (p >= 8) {
                r.u64();
                r.be64();
            }
            if (depth < 4) {
                walk(r.nested(), r.payloadOffset(), p, depth + 1);
            }
        }
        assertThat(r.remaining()).isEqualTo(len - consumed).isBetween(-3, len);
    }
}
