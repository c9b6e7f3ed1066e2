package ovsj.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link NlMsgErr} against what {@code netlink_ack()} does, on hand-made requests. */
class NlMsgErrTest {

    /** A genl request of {@code nlmsg_len = len} (header included) whose payload bytes are 0x5A. */
    private static byte[] request(int len, int bufferLen, int seq) {
        byte[] b = new byte[bufferLen];
        Arrays.fill(b, (byte) 0x5A);
        NlMsgHdr.put(b, 0, len, 34, NlMsgHdr.F_REQUEST | NlMsgHdr.F_ACK, seq, 0);
        return b;
    }

    private static byte[] error(byte[] req, int error, ExtAck ack, boolean capAck) {
        NlWriter w = new NlWriter(128);
        NlMsgErr.putError(w, req, 0, error, ack, 100, capAck);
        return w.toByteArray();
    }

    @Test
    void ackEchoesOnlyTheHeaderAndIsCapped() {
        byte[] req = request(40, 40, 9);
        byte[] m = error(req, 0, null, false);
        assertThat(m).hasSize(36);
        assertThat(NlMsgHdr.len(m, 0)).isEqualTo(36);
        assertThat(NlMsgHdr.type(m, 0)).isEqualTo(NlMsgHdr.NLMSG_ERROR);
        assertThat(NlMsgHdr.flags(m, 0)).isEqualTo(NlMsgHdr.F_CAPPED);
        assertThat(NlMsgHdr.seq(m, 0)).isEqualTo(9);
        assertThat(NlMsgHdr.pid(m, 0)).isEqualTo(100);
        assertThat(Wire.u32(m, 16)).isZero();
        assertThat(Arrays.copyOfRange(m, 20, 36)).isEqualTo(Arrays.copyOf(req, 16));
    }

    @Test
    void errorEchoesNlmsgLenBytesOfTheRequestNotTheWholeBuffer() {
        // a datagram holding more than this message: only nlmsg_len bytes are the request
        byte[] req = request(28, 64, 3);
        byte[] m = error(req, -Errno.EINVAL, null, false);
        assertThat(m).hasSize(20 + 28);
        assertThat(NlMsgHdr.flags(m, 0)).isZero();
        assertThat(Wire.u32(m, 16)).isEqualTo(-22);
        assertThat(Arrays.copyOfRange(m, 20, 48)).isEqualTo(Arrays.copyOf(req, 28));
    }

    @Test
    void unalignedNlmsgLenIsEchoedThenPaddedWithZeros() {
        // as nlmsg_append(): NLMSG_ALIGN(len) bytes, the padding zeroed even though the buffer has 0x5A there
        byte[] req = request(22, 24, 1);
        byte[] m = error(req, -Errno.EINVAL, null, false);
        assertThat(m).hasSize(20 + 24);
        assertThat(Wire.u32(m, 20)).isEqualTo(22); // the echoed header keeps the original nlmsg_len
        assertThat(Arrays.copyOfRange(m, 20, 42)).isEqualTo(Arrays.copyOf(req, 22));
        assertThat(Arrays.copyOfRange(m, 42, 44)).containsOnly(0);

        byte[] exact = request(43, 43, 1);
        assertThat(error(exact, -Errno.EINVAL, null, false)).hasSize(20 + 44);
    }

    @Test
    void capAckEchoesOnlyTheHeaderEvenForErrors() {
        byte[] req = request(40, 40, 1);
        byte[] m = error(req, -Errno.ENOENT, null, true);
        assertThat(m).hasSize(36);
        assertThat(NlMsgHdr.flags(m, 0)).isEqualTo(NlMsgHdr.F_CAPPED);
    }

    @Test
    void ackCarriesOnlyTheMessageTlv() {
        byte[] req = request(24, 24, 1);
        ExtAck ack = new ExtAck().msg("bytes leftover after parsing attributes").badAttr(20, NlPolicy.U32);
        byte[] m = error(req, 0, ack, false);
        assertThat(NlMsgHdr.flags(m, 0)).isEqualTo(NlMsgHdr.F_CAPPED | NlMsgHdr.F_ACK_TLVS);
        NlAttrReader r = new NlAttrReader().wrap(m, 36, m.length - 36);
        assertThat(r.next()).isTrue();
        assertThat(r.type()).isEqualTo(NlMsgErr.ATTR_MSG);
        assertThat(r.string()).isEqualTo("bytes leftover after parsing attributes");
        assertThat(r.next()).isFalse();
        assertThat(r.remaining()).isZero();
    }

    @Test
    void emptyExtAckAddsNoTlvs() {
        byte[] req = request(24, 24, 1);
        byte[] m = error(req, -Errno.EINVAL, new ExtAck(), false);
        assertThat(NlMsgHdr.flags(m, 0)).isZero();
        assertThat(m).hasSize(20 + 24);
    }

    @Test
    void signedPolicyIsWrittenAsTheKernelDoes() {
        // dp/014-new-ifindex-neg: OVS_DP_ATTR_IFINDEX = NLA_POLICY_MIN(NLA_S32, 0)
        byte[] req = request(48, 48, 1);
        ExtAck ack = new ExtAck().msg("integer out of range")
                .badAttr(40, new NlPolicy(NlPolicy.NL_ATTR_TYPE_S32, 0, Integer.MAX_VALUE, 0, 0));
        byte[] m = error(req, -Errno.ERANGE, ack, false);
        int p = NlAttrReader.find(m, 20 + 48, m.length - 68, NlMsgErr.ATTR_POLICY);
        assertThat(NlAttr.rawType(m, p)).isEqualTo(NlMsgErr.ATTR_POLICY | NlAttr.F_NESTED);
        assertThat(Wire.hex(m, p + 4, NlAttr.len(m, p) - 4))
                .isEqualTo("0c00020000000000000000000c000300ffffff7f000000000800010008000000");
    }

    @Test
    void unspecPolicyIsNotReported() {
        // packet/025: PACKET shorter than its NLA_UNSPEC .len: MSG and OFFS, but no POLICY nest
        byte[] req = request(112, 112, 1);
        ExtAck ack = new ExtAck().msg("Attribute failed policy validation")
                .badAttr(24, new NlPolicy(NlPolicy.NL_ATTR_TYPE_INVALID, 0, 0, 0, 0));
        byte[] m = error(req, -Errno.ERANGE, ack, false);
        assertThat(NlAttrReader.find(m, 20 + 112, m.length - 132, NlMsgErr.ATTR_POLICY)).isEqualTo(-1);
        assertThat(NlAttrReader.find(m, 20 + 112, m.length - 132, NlMsgErr.ATTR_OFFS)).isPositive();

        // alone, it adds no TLV at all
        byte[] bare = error(req, -Errno.ERANGE, new ExtAck().badAttr(-1, new NlPolicy(NlPolicy.NL_ATTR_TYPE_INVALID, 0, 0, 0, 0)), false);
        assertThat(NlMsgHdr.flags(bare, 0)).isZero();
        assertThat(bare).hasSize(20 + 112);
    }

    @Test
    void doneIsTwentyBytesWithMulti() {
        NlWriter w = new NlWriter(32);
        NlMsgErr.putDone(w, 77, 100, -Errno.ENODEV);
        byte[] m = w.toByteArray();
        assertThat(m).hasSize(NlMsgErr.DONE_LENGTH);
        assertThat(NlMsgHdr.type(m, 0)).isEqualTo(NlMsgHdr.NLMSG_DONE);
        assertThat(NlMsgHdr.flags(m, 0)).isEqualTo(NlMsgHdr.F_MULTI);
        assertThat(NlMsgHdr.seq(m, 0)).isEqualTo(77);
        assertThat(Wire.u32(m, 16)).isEqualTo(-19);
    }
}
