package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static ovsj.vswitchd.XlateTestFlows.canonical;
import static ovsj.vswitchd.XlateTestFlows.describe;
import static ovsj.vswitchd.XlateTestFlows.keyBytes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ovsj.odp.FlowKey;

/**
 * The megaflow never over-generalises: for random rule tables and random packets, every packet that the
 * installed megaflow (its mask as the datapath holds it) would match gets exactly the same actions as
 * the packet the megaflow was built from. Also checks that the datapath would accept every match.
 */
class RulesPropertyTest {
    static final long[] MACS = {0x020000000001L, 0x020000000002L, 0x020000000003L, 0xffffffffffffL, 0x0180c2000000L,
        0x0a0000000001L};
    static final long[] IPS = {0x0a000001L, 0x0a000002L, 0x0a0001ffL, 0x0a010203L, 0xc0a80101L, 0x0b000001L,
        0x0a000000L, 0x7f000001L};
    static final int[] PROTOS = {6, 17, 1, 132, 47};
    static final int[] PORTS = {53, 80, 443, 1000, 1024, 8080, 0, 65535};
    static final int[] TYPES = {0x0800, 0x0800, 0x0800, 0x0806, 0x86dd, 0x88cc};

    static <T> long pick(SplittableRandom r, long[] a) {
        return a[r.nextInt(a.length)];
    }

    static int pick(SplittableRandom r, int[] a) {
        return a[r.nextInt(a.length)];
    }

    static String macText(long m) {
        return MacLearning.formatMac(m);
    }

    static String ipText(long v) {
        return RulesParser.formatValue(XlateField.NW_SRC, v);
    }

    static String randomRule(SplittableRandom r) {
        List<String> f = new ArrayList<>();
        f.add("priority=" + r.nextInt(5) * 10);
        if (r.nextInt(4) == 0) {
            f.add("in_port=" + (1 + r.nextInt(3)));
        }
        if (r.nextInt(4) == 0) {
            String m = macText(pick(r, MACS));
            f.add("dl_src=" + m + (r.nextBoolean() ? "" : "/ff:ff:ff:00:00:0" + r.nextInt(4)));
        }
        if (r.nextInt(4) == 0) {
            f.add("dl_dst=" + macText(pick(r, MACS)) + (r.nextBoolean() ? "" : "/01:00:00:00:00:00"));
        }
        if (r.nextInt(5) == 0) {
            f.add("dl_vlan=" + (r.nextBoolean() ? "0xffff" : Integer.toString(10 + r.nextInt(2))));
        }
        int kind = r.nextInt(4);
        if (kind == 1) {
            f.add(r.nextInt(3) == 0 ? "arp" : "ip");
            if (r.nextBoolean()) {
                f.add("nw_src=" + ipText(pick(r, IPS)) + "/" + r.nextInt(33));
            }
            if (r.nextBoolean()) {
                f.add("nw_dst=" + ipText(pick(r, IPS)) + "/" + r.nextInt(33));
            }
            if (r.nextInt(3) == 0) {
                f.add("nw_proto=" + pick(r, PROTOS));
            }
        } else if (kind == 2) {
            f.add(new String[] {"tcp", "udp", "sctp"}[r.nextInt(3)]);
            if (r.nextBoolean()) {
                f.add("nw_dst=" + ipText(pick(r, IPS)) + "/" + (16 + r.nextInt(17)));
            }
            if (r.nextBoolean()) {
                f.add("tp_dst=" + pick(r, PORTS) + (r.nextBoolean() ? "" : "/0xff00"));
            }
            if (r.nextInt(3) == 0) {
                f.add("tp_src=" + pick(r, PORTS));
            }
        } else if (kind == 3) {
            f.add("dl_type=" + pick(r, TYPES));
        }
        List<String> a = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(8)) {
                case 0 -> a.add("mod_dl_src:" + macText(pick(r, MACS)));
                case 1 -> a.add("mod_nw_dst:" + ipText(pick(r, IPS)));
                case 2 -> a.add("mod_tp_dst:" + pick(r, PORTS));
                case 3 -> a.add("normal");
                default -> a.add("output:" + (1 + r.nextInt(4)));
            }
        }
        return String.join(",", f) + ",actions=" + (a.isEmpty() ? "drop" : String.join(",", a));
    }

    static FlowKey randomPacket(SplittableRandom r) {
        int type = pick(r, TYPES);
        int inPort = 1 + r.nextInt(3);
        long src = r.nextInt(4) == 0 ? r.nextLong() & 0xfeffffffffffL : pick(r, MACS);
        long dst = r.nextInt(4) == 0 ? r.nextLong() & 0xffffffffffffL : pick(r, MACS);
        FlowKey k;
        if (type == 0x0800) {
            int proto = pick(r, PROTOS);
            k = XlateTestFlows.ipv4(inPort, src, dst, randomIp(r), randomIp(r), proto, randomPort(r), randomPort(r));
            if (r.nextInt(8) == 0) {
                k.u8(FlowKey.IP_FRAG_OFFSET, 1 + r.nextInt(2));
                if (k.ipFrag() == 2) {
                    XlateField.TP_SRC.set(k, 0);
                    XlateField.TP_DST.set(k, 0);
                }
            }
        } else if (type == 0x0806) {
            k = XlateTestFlows.arp(inPort, src, dst, 1 + r.nextInt(2), randomIp(r), randomIp(r));
        } else {
            k = XlateTestFlows.eth(inPort, src, dst, type == 0x86dd ? 0x88b5 : type);
        }
        if (r.nextInt(4) == 0) {
            XlateTestFlows.vlan(k, 10 + r.nextInt(2), r.nextInt(8));
        }
        return canonical(k);
    }

    static long randomIp(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextLong() & 0xffffffffL : pick(r, IPS) ^ (r.nextBoolean() ? 0 : 1L << r.nextInt(32));
    }

    static int randomPort(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextInt(65536) : pick(r, PORTS) ^ (r.nextBoolean() ? 0 : 1 << r.nextInt(16));
    }

    /** A packet in the megaflow of {@code p} under {@code mask}: {@code p} on the mask bits, random elsewhere. */
    static FlowKey sibling(SplittableRandom r, FlowKey p, FlowKey mask) {
        FlowKey q = new FlowKey(p);
        FlowKey other = randomPacket(r);
        for (XlateField f : XlateField.values()) {
            long m = f.get(mask);
            long v = r.nextBoolean() ? f.get(other) : r.nextLong();
            f.set(q, (f.get(p) & m) | (v & ~m & f.all()));
        }
        return q;
    }

    @Test
    void everyPacketInTheMegaflowGetsTheSameActions() throws Exception {
        SplittableRandom r = new SplittableRandom(20261125);
        MegaflowBuilder mb = new MegaflowBuilder(9);
        Xlate x = new Xlate();
        Xlate y = new Xlate();
        int tables = 300;
        int checked = 0;
        int wide = 0;
        for (int t = 0; t < tables; t++) {
            StringBuilder text = new StringBuilder();
            int n = 1 + r.nextInt(25);
            for (int i = 0; i < n; i++) {
                text.append(randomRule(r)).append('\n');
            }
            PipelineNormal normal = new PipelineNormal();
            normal.setPorts(1, 2, 3, 4);
            for (long m : MACS) {
                normal.macLearning().learn(m, 0, 1 + r.nextInt(4), 0);
            }
            PipelineRules p = new PipelineRules(RulesParser.parse(text.toString(), "random"), normal);
            for (int k = 0; k < 20; k++) {
                FlowKey pkt = randomPacket(r);
                x.start(pkt, 0, false);
                p.translate(x);
                byte[] key = keyBytes(pkt);
                FlowKey mask = new FlowKey();
                byte[] maskBytes = mb.buildMask(key, 0, key.length, pkt, x.wildcards(), mask);
                assertThat(maskBytes).as("%s%nfor %s: %s", text, pkt, mb.error()).isNotNull();
                String want = describe(x.actions());
                if (XlateField.NW_DST.get(mask) != 0xffffffffL || XlateField.DL_SRC.get(mask) != 0xffffffffffffL) {
                    wide++;
                }
                for (int s = 0; s < 30; s++) {
                    FlowKey q = sibling(r, pkt, mask);
                    assertThat(Megaflow.covers(pkt, mask, q)).isTrue();
                    y.start(q, 0, false);
                    p.translate(y);
                    assertThat(describe(y.actions())).as("rules:%n%spacket %s%nsibling %s%nmask %s", text, pkt, q, mask)
                            .isEqualTo(want);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(tables * 20 * 30);
        assertThat(wide).as("megaflows are not all exact").isGreaterThan(tables * 20 / 4);
    }
}
