package ovsj.datapath.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.codec.ActionCaller;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.uapi.ActionAttr;
import ovsj.odp.uapi.KeyAttr;

/** Action lists in netlink form, and their stored form through {@link ActionCodec#copyActions}. */
final class Acts {
    private Acts() {
    }

    static byte[] actions(Consumer<NlWriter> body) {
        NlWriter w = new NlWriter(64);
        body.accept(w);
        return w.toByteArray();
    }

    static void nest(NlWriter w, int type, Consumer<NlWriter> body) {
        int n = w.beginNest(type);
        body.accept(w);
        w.endNest(n);
    }

    /** The stored form of {@code acts} validated against {@code key}, or null if refused. */
    static byte[] tryStore(byte[] acts, FlowKey key) {
        NlWriter out = new NlWriter(64);
        List<String> log = new ArrayList<>();
        int err = ActionCodec.copyActions(acts, 0, acts.length, key, out, log::add, ActionCaller.PACKET_EXECUTE);
        return err == 0 ? out.toByteArray() : null;
    }

    /** The stored form, which must be accepted. */
    static byte[] store(byte[] acts, FlowKey key) {
        byte[] s = tryStore(acts, key);
        assertThat(s).as("copyActions accepts %s", Frames.hex(acts)).isNotNull();
        return s;
    }

    static byte[] store(FlowKey key, Consumer<NlWriter> body) {
        return store(actions(body), key);
    }

    /** SET { type: value } (stored as a masked set with an all-ones mask). */
    static void set(NlWriter w, int keyType, byte[] value) {
        nest(w, ActionAttr.SET, s -> s.putBytes(keyType, value));
    }

    /** SET_MASKED { type: value | mask } (the value is masked here). */
    static void setMasked(NlWriter w, int keyType, byte[] value, byte[] mask) {
        byte[] both = new byte[value.length * 2];
        for (int i = 0; i < value.length; i++) {
            both[i] = (byte) (value[i] & mask[i]);
        }
        System.arraycopy(mask, 0, both, value.length, mask.length);
        nest(w, ActionAttr.SET_MASKED, s -> s.putBytes(keyType, both));
    }

    /** {@code struct ovs_key_ipv4}. */
    static byte[] keyIpv4(int src, int dst, int proto, int tos, int ttl, int frag) {
        byte[] b = new byte[12];
        Wire.putBe32(b, 0, src);
        Wire.putBe32(b, 4, dst);
        b[8] = (byte) proto;
        b[9] = (byte) tos;
        b[10] = (byte) ttl;
        b[11] = (byte) frag;
        return b;
    }

    /** {@code struct ovs_key_ipv6}. */
    static byte[] keyIpv6(byte[] src, byte[] dst, int label, int proto, int tclass, int hlimit, int frag) {
        byte[] b = new byte[40];
        System.arraycopy(src, 0, b, 0, 16);
        System.arraycopy(dst, 0, b, 16, 16);
        Wire.putBe32(b, 32, label);
        b[36] = (byte) proto;
        b[37] = (byte) tclass;
        b[38] = (byte) hlimit;
        b[39] = (byte) frag;
        return b;
    }

    /** {@code struct ovs_key_tcp} / udp / sctp. */
    static byte[] keyPorts(int src, int dst) {
        byte[] b = new byte[4];
        Wire.putBe16(b, 0, src);
        Wire.putBe16(b, 2, dst);
        return b;
    }

    static byte[] ones(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 0xff);
        return b;
    }

    static void setIpv4Dst(NlWriter w, int dst) {
        byte[] v = keyIpv4(0, dst, 0, 0, 0, 0);
        byte[] m = keyIpv4(0, -1, 0, 0, 0, 0);
        setMasked(w, KeyAttr.IPV4, v, m);
    }
}
