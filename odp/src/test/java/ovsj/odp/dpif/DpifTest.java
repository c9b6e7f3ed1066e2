package ovsj.odp.dpif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import ovsj.netlink.Errno;
import ovsj.netlink.ExtAck;
import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlAttrReader;
import ovsj.netlink.NlMsgErr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.uapi.DpAttr;
import ovsj.odp.uapi.DpCmd;
import ovsj.odp.uapi.FlowAttr;
import ovsj.odp.uapi.FlowCmd;
import ovsj.odp.uapi.KeyAttr;
import ovsj.odp.uapi.VportAttr;
import ovsj.odp.uapi.VportType;

class DpifTest {
    static final int DP = 0x21;
    static final int VPORT = 0x22;
    static final int FLOW = 0x23;
    static final int PACKET = 0x24;

    /** nlctrl answers the four ovs families; {@code rest} handles everything else. */
    static FakeChannel.Server withFamilies(FakeChannel.Server rest) {
        return (b, m, out) -> {
            if (NlMsgHdr.type(b, m) != GenlMsgHdr.GENL_ID_CTRL) {
                return rest.handle(b, m, out);
            }
            int attrs = m + NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH;
            int a = NlAttrReader.find(b, attrs, NlMsgHdr.len(b, m) - NlMsgHdr.LENGTH - GenlMsgHdr.LENGTH,
                    NlClient.CTRL_ATTR_FAMILY_NAME);
            String name = new NlAttrReader().wrap(b, a, 64).next() ? readString(b, a) : "";
            int id = switch (name) {
                case "ovs_datapath" -> DP;
                case "ovs_vport" -> VPORT;
                case "ovs_flow" -> FLOW;
                case "ovs_packet" -> PACKET;
                default -> -1;
            };
            if (id < 0) {
                return Errno.ENOENT;
            }
            out.add(FakeChannel.reply(b, m, GenlMsgHdr.GENL_ID_CTRL, 0, (w, s) -> {
                w.putGenlHeader(1, 2);
                w.putString(NlClient.CTRL_ATTR_FAMILY_NAME, name);
                w.putU16(NlClient.CTRL_ATTR_FAMILY_ID, id);
            }));
            return 0;
        };
    }

    static String readString(byte[] b, int attr) {
        NlAttrReader r = new NlAttrReader().wrap(b, attr, ovsj.netlink.NlAttr.len(b, attr));
        r.next();
        return r.string();
    }

    static int cmd(byte[] b, int m) {
        return GenlMsgHdr.cmd(b, m + NlMsgHdr.LENGTH);
    }

    static int attr(byte[] b, int m, int type) {
        int attrs = m + NlMsgHdr.LENGTH + GenlMsgHdr.LENGTH + 4;
        return NlAttrReader.find(b, attrs, m + NlMsgHdr.len(b, m) - attrs, type);
    }

    static byte[] dpMessage(byte[] req, int m, int flags, String name, int ifindex) {
        return FakeChannel.reply(req, m, DP, flags, (w, s) -> {
            w.putGenlHeader(DpCmd.GET, 2);
            w.putRawU32(ifindex);
            w.putString(DpAttr.NAME, name);
            int st = w.reserve(DpAttr.STATS, 32);
            Wire.putU64(w.buffer(), st, 7);
            Wire.putU64(w.buffer(), st + 8, 4);
            Wire.putU64(w.buffer(), st + 16, 4);
            Wire.putU64(w.buffer(), st + 24, 3);
            int mf = w.reserve(DpAttr.MEGAFLOW_STATS, 32);
            Wire.putU64(w.buffer(), mf, 15);
            Wire.putU32(w.buffer(), mf + 8, 2);
            Wire.putU64(w.buffer(), mf + 16, 5);
            w.putU32(DpAttr.USER_FEATURES, 3);
            w.putU32(DpAttr.MASKS_CACHE_SIZE, 256);
        });
    }

    @Test
    void resolvesFamiliesAndParsesADatapath() throws IOException {
        FakeChannel ch = new FakeChannel(withFamilies((b, m, out) -> {
            assertThat(NlMsgHdr.type(b, m)).isEqualTo(DP);
            assertThat(cmd(b, m)).isEqualTo(DpCmd.GET);
            assertThat(readString(b, attr(b, m, DpAttr.NAME))).isEqualTo("dp0");
            out.add(dpMessage(b, m, 0, "dp0", 5));
            return 0;
        }));
        try (Dpif dpif = Dpif.open(ch)) {
            assertThat(dpif.flowFamily()).isEqualTo(FLOW);
            DpInfo dp = dpif.dpGet("dp0");
            assertThat(dp).isEqualTo(new DpInfo("dp0", 5, 7, 4, 4, 3, true, 15, 2, 5, 3, 256));
        }
    }

    @Test
    void anErrorCarriesTheErrnoAndTheExtAckMessage() throws IOException {
        FakeChannel ch = new FakeChannel(withFamilies((b, m, out) -> {
            NlWriter w = new NlWriter(256);
            NlMsgErr.putError(w, b, m, -Errno.ENODEV, new ExtAck().msg("no such datapath"),
                    FakeChannel.PORT_ID, false);
            out.add(w.toByteArray());
            return 0; // the error above is the answer; no ACK after it in this fake
        }));
        try (Dpif dpif = Dpif.open(ch)) {
            assertThatThrownBy(() -> dpif.dpGet("nosuch"))
                    .isInstanceOfSatisfying(DpifException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ENODEV);
                        assertThat(e.extAckMessage()).isEqualTo("no such datapath");
                        assertThat(e.getMessage()).startsWith("No such device");
                    });
        }
    }

    @Test
    void aDumpReadsBatchesUntilDone() throws IOException {
        FakeChannel ch = new FakeChannel(withFamilies((b, m, out) -> {
            assertThat(NlMsgHdr.flags(b, m) & NlMsgHdr.F_DUMP).isEqualTo(NlMsgHdr.F_DUMP);
            byte[] a = dpMessage(b, m, NlMsgHdr.F_MULTI, "dp0", 5);
            byte[] c = dpMessage(b, m, NlMsgHdr.F_MULTI, "dp1", 6);
            byte[] both = new byte[a.length + c.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(c, 0, both, a.length, c.length);
            out.add(both);
            out.add(dpMessage(b, m, NlMsgHdr.F_MULTI, "dp2", 7));
            NlWriter w = new NlWriter(64);
            NlMsgErr.putDone(w, NlMsgHdr.seq(b, m), FakeChannel.PORT_ID, 0);
            out.add(w.toByteArray());
            return 0;
        }));
        try (Dpif dpif = Dpif.open(ch)) {
            assertThat(dpif.dpDump()).extracting(DpInfo::name).containsExactly("dp0", "dp1", "dp2");
        }
    }

    @Test
    void vportNewSendsNameTypePortAndPids() throws IOException {
        List<String> seen = new ArrayList<>();
        FakeChannel ch = new FakeChannel(withFamilies((b, m, out) -> {
            seen.add(readString(b, attr(b, m, VportAttr.NAME)));
            assertThat(Wire.u32(b, attr(b, m, VportAttr.TYPE) + 4)).isEqualTo(VportType.INTERNAL);
            assertThat(Wire.u32(b, attr(b, m, VportAttr.PORT_NO) + 4)).isEqualTo(10);
            assertThat(Wire.u32(b, attr(b, m, VportAttr.UPCALL_PID) + 4)).isZero();
            assertThat(NlMsgHdr.flags(b, m) & NlMsgHdr.F_ECHO).isNotZero();
            out.add(FakeChannel.reply(b, m, VPORT, 0, (w, s) -> {
                w.putGenlHeader(1, 1);
                w.putRawU32(5);
                w.putU32(VportAttr.PORT_NO, 10);
                w.putU32(VportAttr.TYPE, VportType.INTERNAL);
                w.putString(VportAttr.NAME, "p4");
                w.putU32(VportAttr.IFINDEX, 9);
                w.reserve(VportAttr.STATS, 64);
                w.putU32(VportAttr.UPCALL_PID, 0);
            }));
            return 0;
        }));
        try (Dpif dpif = Dpif.open(ch)) {
            VportInfo v = dpif.vportNew(5, "p4", VportType.INTERNAL, 10, new int[] {0}, null);
            assertThat(v.portNo()).isEqualTo(10);
            assertThat(v.name()).isEqualTo("p4");
            assertThat(v.ifindex()).isEqualTo(9);
            assertThat(v.stats()).containsOnly(0L);
            assertThat(v.upcallPids()).containsExactly(0);
        }
        assertThat(seen).containsExactly("p4");
    }

    @Test
    void flowRequestsDropThePacketTypeAttribute() {
        NlWriter key = new NlWriter(64);
        key.putU32(KeyAttr.IN_PORT, 1);
        key.putBe32(KeyAttr.PACKET_TYPE, 0);
        key.putBe16(KeyAttr.ETHERTYPE, 0x0800);
        NlWriter w = new NlWriter(128);
        new FlowRequest().key(key.toByteArray()).put(w);
        byte[] out = w.toByteArray();
        NlAttrReader r = new NlAttrReader().wrap(out, 0, out.length);
        assertThat(r.next()).isTrue();
        assertThat(r.type()).isEqualTo(FlowAttr.KEY);
        NlAttrReader in = r.nested();
        List<Integer> types = new ArrayList<>();
        while (in.next()) {
            types.add(in.type());
        }
        assertThat(types).containsExactly(KeyAttr.IN_PORT, KeyAttr.ETHERTYPE);
        assertThat(r.length()).isEqualTo(4 + 8 + 8);
    }

    @Test
    void putFlagsMapToCommandsAsDpifNetlinkDoes() {
        assertThat(Dpif.putCmd(Dpif.PUT_CREATE)).isEqualTo(FlowCmd.NEW);
        assertThat(Dpif.putNlFlags(Dpif.PUT_CREATE)).isEqualTo(NlMsgHdr.F_CREATE);
        assertThat(Dpif.putCmd(Dpif.PUT_MODIFY)).isEqualTo(FlowCmd.SET);
        assertThat(Dpif.putNlFlags(Dpif.PUT_MODIFY)).isZero();
        assertThat(Dpif.putCmd(Dpif.PUT_MODIFY | Dpif.PUT_CREATE)).isEqualTo(FlowCmd.NEW);
        assertThat(Dpif.putNlFlags(Dpif.PUT_MODIFY | Dpif.PUT_CREATE)).isZero();
    }

    @Test
    void aBatchCompletesEveryItemInOrderWithItsErrno() throws IOException {
        // Every third flow (by its IN_PORT) already exists.
        FakeChannel ch = new FakeChannel(withFamilies((b, m, out) -> {
            assertThat(NlMsgHdr.flags(b, m) & NlMsgHdr.F_ACK).isZero();
            int key = attr(b, m, FlowAttr.KEY);
            int port = Wire.u32(b, key + 8);
            return port % 3 == 0 ? Errno.EEXIST : 0;
        }));
        List<String> events = new ArrayList<>();
        int n = 20000;
        try (Dpif dpif = Dpif.open(ch); FlowBatch batch = dpif.flowBatch(5)) {
            batch.listener((tag, errno, ext, reply) -> {
                if (errno != 0) {
                    events.add(tag + ":" + errno);
                }
            });
            FlowRequest r = new FlowRequest();
            NlWriter key = new NlWriter(64);
            for (int i = 1; i <= n; i++) {
                key.reset();
                key.putU32(KeyAttr.IN_PORT, i);
                r.reset().key(key.buffer(), 0, key.position()).actions(new byte[0]);
                batch.put(i, r, Dpif.PUT_CREATE, false);
                if (i == 4) {
                    batch.local(() -> events.add("after 4"));
                }
            }
            batch.flush();
            assertThat(batch.requests()).isEqualTo(n);
            assertThat(batch.datagrams()).isGreaterThan(1);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (i % 3 == 0) {
                expected.add(i + ":" + Errno.EEXIST);
            }
            if (i == 4) {
                expected.add("after 4");
            }
        }
        assertThat(events).isEqualTo(expected);
    }
}
