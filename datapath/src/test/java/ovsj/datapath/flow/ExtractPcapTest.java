package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.FragType;

/**
 * The 251 frames of the OVS key-extraction oracle ({@code vectors/ovs/extract.pcap}): every frame goes
 * through the extractor without an exception and with sane offsets, and the fields that are cheap to
 * read from the OVS 3.1 datapath key text ({@code extract.tsv}, column {@code dp_key_vlan_limit2},
 * and the ND fields of {@code ofctl_flow}) are compared. That oracle is OVS <em>userspace</em>'s
 * {@code flow_extract}; where Linux 6.1 {@code flow.c} does otherwise, this test follows the kernel
 * and {@link #KNOWN} lists the difference.
 */
class ExtractPcapTest {
    /** idx → the summary fields where the kernel and OVS userspace differ, and why. */
    static final Map<Integer, String> KNOWN = new TreeMap<>();

    private static final String TOT_LEN = "ip,l4: the kernel does not check the IPv4 total length against the"
            + " frame (check_iphdr looks at IHL only); OVS zeroes the IP fields";
    private static final String PLEN = ": the kernel does not check the IPv6 payload length; OVS zeroes the"
            + " IPv6 fields";

    static {
        KNOWN.put(52, TOT_LEN);
        KNOWN.put(53, TOT_LEN);
        for (int i = 64; i <= 76; i++) {
            KNOWN.put(i, TOT_LEN + " (L4 truncated with tot_len past the frame: kernel keeps IP, zero L4)");
        }
        KNOWN.put(79, "ip,l4" + PLEN + " (kernel: proto 6, ports 0)");
        KNOWN.put(80, "ip,l4,nd" + PLEN + " (kernel: NS type/code, no target)");
        KNOWN.put(81, "ip,l4,nd" + PLEN + " (kernel: NS with its target, the cut option ignored)");
        KNOWN.put(173, "ip,l4" + PLEN);
        KNOWN.put(174, "l4: payload length 0: the kernel reads the UDP header from the frame; OVS finds no L4");
        KNOWN.put(86, "mpls: no label fits: the kernel emits an empty MPLS attribute (num_labels_mask 0);"
                + " OVS none");
        KNOWN.put(183, "mpls: no BOS before the frame ends: the kernel keeps num_labels_mask 0 (empty MPLS"
                + " attribute); OVS reports the labels read");
        KNOWN.put(107, "ip,l4: fragment header of 4 bytes: the kernel reads its offset (0: first fragment),"
                + " skips 8 bytes, finds UDP past the end (ports 0); OVS zeroes the IPv6 fields");
        KNOWN.put(163, "ip: atomic fragment (offset 0, M=0): a fragment header makes it frag=first in the"
                + " kernel; OVS says frag=no");
        KNOWN.put(176, "ip,l4: hop-by-hop header with 4 of its 8 bytes: the kernel skips it and reports"
                + " proto 17 with ports 0; OVS zeroes the IPv6 fields");
        KNOWN.put(197, "type,ip: SNAP with ctrl != 3: the kernel does not check the LLC control byte and"
                + " decodes the SNAP ethertype; OVS says 802.2");
        KNOWN.put(208, "rc: NSH length beyond the frame: parse_nsh returns -EINVAL and the kernel drops"
                + " the packet; OVS reports zero NSH fields");
    }

    static Path ovsDir() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("vectors/ovs");
            if (Files.isRegularFile(p.resolve("extract.pcap"))) {
                return p;
            }
        }
        throw new AssertionError("vectors/ovs/extract.pcap is missing: it is part of the repository's test data");
    }

    record Row(int idx, String desc, byte[] frame, String ofctl, String dpKey) {
    }

    static List<byte[]> pcap() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ovsDir().resolve("extract.pcap")));
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        List<byte[]> out = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            int incl = b.getInt(pos + 8);
            byte[] f = new byte[incl];
            b.get(pos + 16, f);
            out.add(f);
            pos += 16 + incl;
        }
        return out;
    }

    static List<Row> rows() throws IOException {
        List<byte[]> frames = pcap();
        List<String> desc = Files.readAllLines(ovsDir().resolve("extract.pcap.desc"));
        List<Row> out = new ArrayList<>();
        for (String line : Files.readAllLines(ovsDir().resolve("extract.tsv"))) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t", -1);
            int idx = Integer.parseInt(c[0]);
            byte[] f = frames.get(idx - 1);
            assertThat(HexFormat.of().formatHex(f)).as("pcap frame %d", idx).isEqualTo(c[3]);
            assertThat(desc.get(idx - 1)).isEqualTo(c[1]);
            out.add(new Row(idx, c[1], f, c[4], c[6]));
        }
        assertThat(out).hasSize(frames.size());
        return out;
    }

    @Test
    void everyFrameExtractsWithSaneOffsets() throws IOException {
        List<byte[]> frames = pcap();
        assertThat(frames).hasSize(251);
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        Packet p = new Packet();
        for (byte[] f : frames) {
            for (int round = 0; round < 4; round++) {
                // a random position inside a bigger buffer, garbage around it
                byte[] buf = new byte[f.length + 64];
                rnd.nextBytes(buf);
                int at = rnd.nextInt(64);
                System.arraycopy(f, 0, buf, at, f.length);
                p.wrap(buf, at, f.length, 1 + rnd.nextInt(65534));
                int rc = KeyExtractor.extract(p);
                Invariants.check(p, rc);
                KeyExtractor.hash(p);
                assertThat(p.swHash).isTrue();
            }
        }
    }

    @Test
    void fieldsAgreeWithTheOvsOracleExceptTheKnownDifferences() throws IOException {
        Map<Integer, String> diffs = new TreeMap<>();
        StringBuilder report = new StringBuilder();
        for (Row r : rows()) {
            Packet p = new Packet().wrap(r.frame(), 0, r.frame().length, 1);
            int rc = KeyExtractor.extract(p);
            if (r.dpKey().startsWith("ERR")) {
                assertThat(r.frame().length).isLessThan(14);
                assertThat(rc).isEqualTo(-KeyExtractor.EINVAL);
                continue;
            }
            Map<String, String> ours = ours(p.key, rc);
            Map<String, String> theirs = theirs(r.dpKey(), r.ofctl());
            List<String> differing = new ArrayList<>();
            for (String f : theirs.keySet()) {
                if (!theirs.get(f).equals(ours.getOrDefault(f, "-"))) {
                    differing.add(f);
                }
            }
            for (String f : ours.keySet()) {
                if (!theirs.containsKey(f) && !differing.contains(f)) {
                    differing.add(f);
                }
            }
            if (!differing.isEmpty()) {
                diffs.put(r.idx(), String.join(",", differing));
                report.append(r.idx()).append(' ').append(r.desc()).append(": ").append(differing)
                        .append("\n   kernel ").append(ours).append("\n   ovs    ").append(theirs).append('\n');
            }
        }
        Map<Integer, String> expected = new TreeMap<>();
        KNOWN.forEach((k, v) -> expected.put(k, v.substring(0, v.indexOf(':'))));
        assertThat(diffs).as(report.toString()).isEqualTo(expected);
    }

    // ---- the summaries ----------------------------------------------------------------------------

    static Map<String, String> ours(FlowKey k, int rc) {
        Map<String, String> m = new TreeMap<>();
        if (rc != 0) {
            m.put("rc", Integer.toString(rc));
        }
        List<Integer> vids = new ArrayList<>();
        if (k.vlanTci() != 0) {
            vids.add(k.vlanTci() & 0xfff);
            if (k.cvlanTci() != 0) {
                vids.add(k.cvlanTci() & 0xfff);
            }
        }
        m.put("vids", vids.toString());
        int type = k.ethType();
        m.put("type", String.format("%04x", type));
        if (type == 0x0800 || type == 0x86dd) {
            int frag = k.ipFrag();
            m.put("ip", k.ipProto() + "/" + (frag == FragType.NONE ? "no" : frag == FragType.FIRST ? "first" : "later"));
            int proto = k.ipProto();
            if (frag != FragType.LATER) {
                int s = k.u16(FlowKey.TP_SRC_OFFSET);
                int d = k.u16(FlowKey.TP_DST_OFFSET);
                if (proto == 6 || proto == 17 || proto == 132) {
                    m.put("l4", s + "/" + d);
                } else if ((proto == 1 && type == 0x0800) || (proto == 58 && type == 0x86dd)) {
                    m.put("l4", s + "/" + d);
                    if (type == 0x86dd && d == 0 && (s == 135 || s == 136)) {
                        m.put("nd", hex(k, FlowKey.ND_TARGET_OFFSET) + " "
                                + String.format("%012x %012x", k.u64(FlowKey.ND_SLL_OFFSET), k.u64(FlowKey.ND_TLL_OFFSET)));
                    }
                }
            }
        } else if (type == 0x0806 || type == 0x8035) {
            m.put("arp", Integer.toString(k.ipProto()));
        } else if (type == 0x8847 || type == 0x8848) {
            m.put("mpls", Integer.toString(Integer.bitCount(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET))));
        }
        return m;
    }

    private static String hex(FlowKey k, int off) {
        return String.format("%016x%016x", k.u64(off), k.u64(off + 8));
    }

    private static final Pattern VLAN = Pattern.compile("vlan\\(vid=(\\d+),pcp=\\d+(,cfi=0)?\\)");
    private static final Pattern ETH_TYPE = Pattern.compile("eth_type\\(([^)]*)\\)");
    private static final Pattern IP = Pattern.compile("ipv[46]\\([^)]*proto=(\\d+),[^)]*frag=(\\w+)\\)");
    private static final Pattern L4 = Pattern.compile("(?:tcp|udp|sctp)\\(src=(\\d+),dst=(\\d+)\\)|icmp(?:v6)?\\(type=(\\d+),code=(\\d+)\\)");
    private static final Pattern ARP = Pattern.compile("arp\\([^)]*op=(\\d+)");
    private static final Pattern MPLS = Pattern.compile("mpls\\(([^)]*)\\)");
    private static final Pattern ND = Pattern.compile("nd_target=([^,]*),nd_sll=([^,]*),nd_tll=([0-9a-f:]*)");

    static Map<String, String> theirs(String dpKey, String ofctl) {
        Map<String, String> m = new TreeMap<>();
        List<Integer> vids = new ArrayList<>();
        Matcher v = VLAN.matcher(dpKey);
        while (v.find()) {
            if (v.group(2) == null) {
                vids.add(Integer.parseInt(v.group(1)));
            }
        }
        m.put("vids", vids.toString());
        String type = null;
        int types = 0;
        Matcher t = ETH_TYPE.matcher(dpKey);
        while (t.find()) {
            type = t.group(1);
            types++;
        }
        // OVS prints no inner eth_type for 802.2 frames inside tags ("encap()")
        int ty = "0/0xffff".equals(type) || (types == vids.size() && types > 0) ? KeyExtractor.ETH_P_802_2
                : Integer.decode(type);
        m.put("type", String.format("%04x", ty));
        Matcher ip = IP.matcher(dpKey);
        if (ip.find()) {
            m.put("ip", ip.group(1) + "/" + ip.group(2));
        }
        Matcher l4 = L4.matcher(dpKey);
        if (l4.find()) {
            m.put("l4", l4.group(1) != null ? l4.group(1) + "/" + l4.group(2) : l4.group(3) + "/" + l4.group(4));
        }
        Matcher arp = ARP.matcher(dpKey);
        if (arp.find()) {
            m.put("arp", arp.group(1));
        }
        Matcher mpls = MPLS.matcher(dpKey);
        if (mpls.find()) {
            m.put("mpls", Integer.toString(mpls.group(1).split("label=", -1).length - 1));
        }
        Matcher nd = ND.matcher(ofctl);
        if (nd.find()) {
            m.put("nd", ipv6Hex(nd.group(1)) + " " + nd.group(2).replace(":", "") + " " + nd.group(3).replace(":", ""));
        }
        return m;
    }

    private static String ipv6Hex(String text) {
        try {
            return HexFormat.of().formatHex(InetAddress.getByName(text).getAddress());
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
