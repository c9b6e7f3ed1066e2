package ovsj.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NlWriterTest {

    /** A bounded writer over a buffer full of 0xAA, so that any byte not written shows. */
    private static NlWriter dirty(int size, int limit) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 0xAA);
        return new NlWriter(b, limit);
    }

    @Test
    void oddLengthAttributesArePaddedToFourWithZeros() {
        NlWriter w = dirty(64, 64);
        w.putBytes(1, new byte[] {1, 2, 3});
        w.putU8(2, 0x7f);
        w.putU16(3, 0xbeef);

        byte[] b = w.buffer();
        assertThat(w.position()).isEqualTo(8 + 8 + 8);
        assertThat(NlAttr.len(b, 0)).isEqualTo(7);
        assertThat(b[7]).isZero();
        assertThat(NlAttr.len(b, 8)).isEqualTo(5);
        assertThat(Arrays.copyOfRange(b, 13, 16)).containsOnly(0);
        assertThat(NlAttr.len(b, 16)).isEqualTo(6);
        assertThat(Arrays.copyOfRange(b, 22, 24)).containsOnly(0);
        assertThat(b[24]).isEqualTo((byte) 0xAA);
        assertThat(w.position() % NlAttr.ALIGNTO).isZero();
    }

    @Test
    void emptyAttributeIsJustAHeader() {
        NlWriter w = new NlWriter(16);
        w.putFlag(9);
        assertThat(w.toByteArray()).containsExactly(4, 0, 9, 0);
    }

    @Test
    void nestLengthsAreBackPatchedWhenNestedTwice() {
        NlWriter w = new NlWriter(64);
        int outer = w.beginNest(1);
        int inner = w.beginNest(2);
        w.putU32(3, 0x11223344);
        w.endNest(inner);
        w.putU8(4, 5);
        w.endNest(outer);

        byte[] b = w.toByteArray();
        assertThat(outer).isZero();
        assertThat(inner).isEqualTo(4);
        assertThat(NlAttr.len(b, outer)).isEqualTo(4 + 12 + 8).isEqualTo(b.length);
        assertThat(NlAttr.rawType(b, outer)).isEqualTo(1);
        assertThat(NlAttr.len(b, inner)).isEqualTo(12);
        assertThat(NlAttr.rawType(b, inner)).isEqualTo(2);
        assertThat(Wire.u32(b, inner + 8)).isEqualTo(0x11223344);
    }

    @Test
    void emptyNestIsFourBytes() {
        NlWriter w = new NlWriter(16);
        w.endNest(w.beginNest(7));
        assertThat(w.toByteArray()).containsExactly(4, 0, 7, 0);
    }

    @Test
    void beginNestFlaggedSetsNlaFNested() {
        NlWriter w = new NlWriter(16);
        int n = w.beginNestFlagged(4);
        w.putU32(1, 8);
        w.endNest(n);
        byte[] b = w.toByteArray();
        assertThat(NlAttr.rawType(b, n)).isEqualTo(0x8004);
        assertThat(NlAttr.type(b, n)).isEqualTo(4);
        assertThat(NlAttr.len(b, n)).isEqualTo(12);
    }

    @Test
    void cancelNestDropsTheNestAndItsContent() {
        NlWriter w = new NlWriter(16);
        w.putU32(1, 1);
        int n = w.beginNest(2);
        w.putU32(3, 3);
        w.cancelNest(n);
        assertThat(w.position()).isEqualTo(8);
    }

    @Test
    void boundedWriterOverflowsWithoutWritingPastItsLimitAndRewindRestoresIt() {
        NlWriter w = dirty(64, 24);
        w.putU32(1, 1);
        w.putU32(2, 2);
        int mark = w.position();
        assertThat(mark).isEqualTo(16);
        assertThat(w.remaining()).isEqualTo(8);

        w.putU64(3, -1L); // 12 bytes: does not fit
        assertThat(w.overflowed()).isTrue();
        assertThat(w.position()).isEqualTo(16);
        w.putU8(4, 4); // would fit, but the writer stays overflowed until rewound
        assertThat(w.reserve(5, 0)).isEqualTo(-1);
        assertThat(w.beginMessage(16, 0, 0, 0)).isEqualTo(-1);
        assertThat(w.beginNest(6)).isEqualTo(-1);
        assertThat(w.position()).isEqualTo(16);
        assertThat(Arrays.copyOfRange(w.buffer(), 16, 64)).containsOnly((byte) 0xAA);

        w.rewind(mark);
        assertThat(w.overflowed()).isFalse();
        w.putU32(7, 7);
        assertThat(w.overflowed()).isFalse();
        assertThat(w.position()).isEqualTo(24);
        assertThat(w.remaining()).isZero();
        assertThat(NlAttr.type(w.buffer(), 16)).isEqualTo(7);
        assertThat(Arrays.copyOfRange(w.buffer(), 24, 64)).containsOnly((byte) 0xAA);
    }

    @Test
    void overflowInsideANestLeavesTheNestUnpatched() {
        NlWriter w = dirty(64, 16);
        int n = w.beginNest(1);
        w.putU32(2, 2);
        w.putU32(3, 3); // 4 + 8 + 8 > 16
        w.endNest(n);
        assertThat(w.overflowed()).isTrue();
        assertThat(NlAttr.len(w.buffer(), n)).isEqualTo(4); // as begun, never patched
        w.rewind(n);
        assertThat(w.position()).isZero();
    }

    @Test
    void boundedLimitCannotExceedTheBuffer() {
        NlWriter w = new NlWriter(new byte[8], 8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.limit(9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(w.limit(4).remaining()).isEqualTo(4);
    }

    @Test
    void growableWriterGrows() {
        NlWriter w = new NlWriter(0);
        int initial = w.buffer().length;
        byte[] big = new byte[1001];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        w.putU32(1, 0xcafe);
        w.putBytes(2, big);
        assertThat(w.overflowed()).isFalse();
        assertThat(w.buffer().length).isGreaterThan(initial).isGreaterThanOrEqualTo(8 + 1008);
        assertThat(w.position()).isEqualTo(8 + 1008);
        byte[] b = w.toByteArray();
        assertThat(Wire.u32(b, 4)).isEqualTo(0xcafe);
        assertThat(NlAttr.len(b, 8)).isEqualTo(1005);
        assertThat(Arrays.copyOfRange(b, 12, 12 + 1001)).isEqualTo(big);
        assertThat(Arrays.copyOfRange(b, 1013, 1016)).containsOnly(0);
    }

    @Test
    void putU64AlignedAddsAPadAttributeOnlyWhenAlign64AndMisaligned() {
        int pad = 11;
        // align64 off (x86_64): never a pad
        NlWriter off = new NlWriter(32);
        off.putU64Aligned(1, 42, pad);
        assertThat(off.position()).isEqualTo(12);
        assertThat(NlAttr.type(off.buffer(), 0)).isEqualTo(1);

        // align64 on, payload would start at 4: a 4-byte pad attribute first
        NlWriter mis = new NlWriter(32).align64(true);
        mis.putU64Aligned(1, 42, pad);
        byte[] b = mis.toByteArray();
        assertThat(b.length).isEqualTo(4 + 12);
        assertThat(NlAttr.len(b, 0)).isEqualTo(4);
        assertThat(NlAttr.type(b, 0)).isEqualTo(pad);
        assertThat(NlAttr.type(b, 4)).isEqualTo(1);
        assertThat((4 + NlAttr.HEADER_LENGTH) % 8).isZero();
        assertThat(Wire.u64(b, 8)).isEqualTo(42);

        // align64 on, payload already at 8: no pad
        NlWriter al = new NlWriter(32).align64(true);
        al.putFlag(2);
        al.putU64Aligned(1, 42, pad);
        byte[] c = al.toByteArray();
        assertThat(c.length).isEqualTo(4 + 12);
        assertThat(NlAttr.type(c, 4)).isEqualTo(1);
        assertThat(Wire.u64(c, 8)).isEqualTo(42);

        // reserve64 follows the same rule
        NlWriter r = new NlWriter(32).align64(true);
        int p = r.reserve64(3, 8, pad);
        assertThat(p % 8).isZero();
    }

    @Test
    void putStringIsNulTerminated() {
        NlWriter w = dirty(64, 64);
        w.putString(1, "abc");
        w.putString(2, "abcd");
        w.putString(3, "");
        byte[] b = w.buffer();
        assertThat(NlAttr.len(b, 0)).isEqualTo(8);
        assertThat(Arrays.copyOfRange(b, 4, 8)).containsExactly('a', 'b', 'c', 0);
        assertThat(NlAttr.len(b, 8)).isEqualTo(9);
        assertThat(Arrays.copyOfRange(b, 12, 20)).containsExactly('a', 'b', 'c', 'd', 0, 0, 0, 0);
        assertThat(NlAttr.len(b, 20)).isEqualTo(5);
        assertThat(Arrays.copyOfRange(b, 24, 28)).containsOnly(0);
        assertThat(w.position()).isEqualTo(28);
    }

    @Test
    void byteOrdersOfIntegerAttributes() {
        NlWriter w = new NlWriter(64);
        w.putU16(1, 0x0102);
        w.putBe16(2, 0x0102);
        w.putU32(3, 0x01020304);
        w.putBe32(4, 0x01020304);
        w.putBe64(5, 0x0102030405060708L);
        byte[] b = w.toByteArray();
        assertThat(Arrays.copyOfRange(b, 4, 6)).containsExactly(2, 1);
        assertThat(Arrays.copyOfRange(b, 12, 14)).containsExactly(1, 2);
        assertThat(Arrays.copyOfRange(b, 20, 24)).containsExactly(4, 3, 2, 1);
        assertThat(Arrays.copyOfRange(b, 28, 32)).containsExactly(1, 2, 3, 4);
        assertThat(Arrays.copyOfRange(b, 36, 44)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void messageLengthIsPatchedByEndMessage() {
        NlWriter w = new NlWriter(64);
        int m = w.beginMessage(34, NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK, 7, 100);
        w.putGenlHeader(1, 2);
        w.putRawU32(5);
        w.putU32(1, 9);
        w.endMessage(m);
        byte[] b = w.toByteArray();
        assertThat(NlMsgHdr.len(b, 0)).isEqualTo(b.length).isEqualTo(16 + 4 + 4 + 8);
        assertThat(NlMsgHdr.type(b, 0)).isEqualTo(34);
        assertThat(NlMsgHdr.flags(b, 0)).isEqualTo(5);
        assertThat(NlMsgHdr.seq(b, 0)).isEqualTo(7);
        assertThat(NlMsgHdr.pid(b, 0)).isEqualTo(100);
        assertThat(GenlMsgHdr.cmd(b, 16)).isEqualTo(1);
        assertThat(GenlMsgHdr.version(b, 16)).isEqualTo(2);
    }

    @Test
    void putRawPadsAndPutRawUnpaddedDoesNot() {
        NlWriter w = dirty(16, 16);
        w.putRaw(new byte[] {9, 9, 9, 9, 9}, 0, 5);
        assertThat(w.position()).isEqualTo(8);
        assertThat(Arrays.copyOfRange(w.buffer(), 5, 8)).containsOnly(0);
        w.putRawUnpadded(new byte[] {1, 2, 3}, 0, 3);
        assertThat(w.position()).isEqualTo(11);
        assertThat(w.buffer()[11]).isEqualTo((byte) 0xAA);
    }
}
