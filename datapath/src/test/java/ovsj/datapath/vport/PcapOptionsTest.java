package ovsj.datapath.vport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;

class PcapOptionsTest {
    private static PcapOptions parse(Consumer<NlWriter> attrs) throws VportDeviceException {
        NlWriter w = new NlWriter(64);
        attrs.accept(w);
        return PcapOptions.parse(w.buffer(), 0, w.position());
    }

    private static void assertErrno(Consumer<NlWriter> attrs, int errno, String message) {
        assertThatThrownBy(() -> parse(attrs)).isInstanceOfSatisfying(VportDeviceException.class,
                e -> assertThat(e.errno()).isEqualTo(errno)).hasMessage(message);
    }

    @Test
    void parsesEveryOptionAndWritesThemBackInOrder() throws VportDeviceException {
        PcapOptions o = parse(w -> {
            w.putFlag(PcapOptions.LOOP);
            w.putU32(PcapOptions.RATE_PPS, -1);
            w.putString(PcapOptions.OUTPUT, "/tmp/out.pcap");
            w.putString(PcapOptions.INPUT, "in.pcap");
            w.putU32(99, 7); // unknown: ignored
        });
        assertThat(o).isEqualTo(new PcapOptions("in.pcap", "/tmp/out.pcap", -1, true));
        assertThat(o.ratePpsUnsigned()).isEqualTo(4294967295L);

        NlWriter w = new NlWriter(64);
        o.put(w);
        NlWriter expected = new NlWriter(64);
        expected.putString(PcapOptions.INPUT, "in.pcap");
        expected.putString(PcapOptions.OUTPUT, "/tmp/out.pcap");
        expected.putU32(PcapOptions.RATE_PPS, -1);
        expected.putFlag(PcapOptions.LOOP);
        assertThat(w.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(PcapOptions.parse(w.buffer(), 0, w.position())).isEqualTo(o);
    }

    @Test
    void defaultsAndStringsWithoutNul() throws VportDeviceException {
        byte[] raw = "out.pcap".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        PcapOptions o = parse(w -> w.putBytes(PcapOptions.OUTPUT, raw));
        assertThat(o).isEqualTo(new PcapOptions(null, "out.pcap", 0, false));
        NlWriter w = new NlWriter(64);
        o.put(w);
        NlWriter expected = new NlWriter(64);
        expected.putString(PcapOptions.OUTPUT, "out.pcap");
        expected.putU32(PcapOptions.RATE_PPS, 0);
        assertThat(w.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void malformedOptionsAreRefused() {
        assertErrno(w -> { }, -Errno.EINVAL, "neither an INPUT nor an OUTPUT file in the options");
        assertErrno(w -> w.putU32(PcapOptions.RATE_PPS, 10), -Errno.EINVAL,
                "neither an INPUT nor an OUTPUT file in the options");
        assertErrno(w -> w.putString(PcapOptions.INPUT, ""), -Errno.EINVAL, "pcap option INPUT: empty path");
        assertErrno(w -> {
            w.putString(PcapOptions.OUTPUT, "o");
            w.putU16(PcapOptions.RATE_PPS, 10);
        }, -Errno.EINVAL, "pcap option RATE_PPS: 2 bytes, not a u32");
        assertErrno(w -> {
            w.putString(PcapOptions.OUTPUT, "o");
            w.putU32(PcapOptions.LOOP, 1);
        }, -Errno.EINVAL, "pcap option LOOP: a flag has no payload, not 4 bytes");
        String longest = "x".repeat(PcapOptions.MAX_PATH_BYTES);
        assertErrno(w -> w.putString(PcapOptions.OUTPUT, longest + "x"), -Errno.ENAMETOOLONG,
                "pcap option OUTPUT: path of 1025 bytes, over 1024");
        try {
            assertThat(parse(w -> w.putString(PcapOptions.OUTPUT, longest)).output()).isEqualTo(longest);
        } catch (VportDeviceException e) {
            throw new AssertionError(e);
        }
    }
}
