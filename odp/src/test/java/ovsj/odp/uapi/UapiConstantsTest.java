package ovsj.odp.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Checks the uapi twins against facts of Linux 6.1 that an off-by-one would break. */
class UapiConstantsTest {

    /** Every enum-like class of the package and the kernel prefix of its constants. */
    private static final Map<Class<?>, String> ENUMS = new LinkedHashMap<>();

    static {
        ENUMS.put(DpCmd.class, "OVS_DP_CMD_");
        ENUMS.put(DpAttr.class, "OVS_DP_ATTR_");
        ENUMS.put(UserFeatures.class, "OVS_DP_F_");
        ENUMS.put(VportCmd.class, "OVS_VPORT_CMD_");
        ENUMS.put(VportAttr.class, "OVS_VPORT_ATTR_");
        ENUMS.put(VportType.class, "OVS_VPORT_TYPE_");
        ENUMS.put(TunnelAttr.class, "OVS_TUNNEL_ATTR_");
        ENUMS.put(VxlanExtAttr.class, "OVS_VXLAN_EXT_");
        ENUMS.put(FlowCmd.class, "OVS_FLOW_CMD_");
        ENUMS.put(FlowAttr.class, "OVS_FLOW_ATTR_");
        ENUMS.put(UfidFlags.class, "OVS_UFID_F_");
        ENUMS.put(PacketCmd.class, "OVS_PACKET_CMD_");
        ENUMS.put(PacketAttr.class, "OVS_PACKET_ATTR_");
        ENUMS.put(KeyAttr.class, "OVS_KEY_ATTR_");
        ENUMS.put(TunnelKeyAttr.class, "OVS_TUNNEL_KEY_ATTR_");
        ENUMS.put(NshKeyAttr.class, "OVS_NSH_KEY_ATTR_");
        ENUMS.put(FragType.class, "OVS_FRAG_TYPE_");
        ENUMS.put(CtState.class, "OVS_CS_F_");
        ENUMS.put(ActionAttr.class, "OVS_ACTION_ATTR_");
        ENUMS.put(UserspaceAttr.class, "OVS_USERSPACE_ATTR_");
        ENUMS.put(SampleAttr.class, "OVS_SAMPLE_ATTR_");
        ENUMS.put(CloneAttr.class, "OVS_CLONE_ATTR_");
        ENUMS.put(CheckPktLenAttr.class, "OVS_CHECK_PKT_LEN_ATTR_");
        ENUMS.put(DecTtlAttr.class, "OVS_DEC_TTL_ATTR_");
        ENUMS.put(CtAttr.class, "OVS_CT_ATTR_");
        ENUMS.put(NatAttr.class, "OVS_NAT_ATTR_");
        ENUMS.put(HashAlg.class, "OVS_HASH_ALG_");
        ENUMS.put(MeterCmd.class, "OVS_METER_CMD_");
        ENUMS.put(MeterAttr.class, "OVS_METER_ATTR_");
        ENUMS.put(BandAttr.class, "OVS_BAND_ATTR_");
        ENUMS.put(MeterBandType.class, "OVS_METER_BAND_TYPE_");
        ENUMS.put(CtLimitCmd.class, "OVS_CT_LIMIT_CMD_");
        ENUMS.put(CtLimitAttr.class, "OVS_CT_LIMIT_ATTR_");
    }

    /** Values that exist only inside the kernel and sit past the uapi MAX. */
    private static final Set<String> KERNEL_ONLY_PAST_MAX = Set.of(
            "ActionAttr.SET_TO_MASKED", "SampleAttr.ARG", "CheckPktLenAttr.ARG");

    /** Every wire-struct class and its x86_64 sizeof (checked against gcc on the 6.1 header). */
    private static final Map<Class<?>, Integer> STRUCT_SIZES = new LinkedHashMap<>();

    static {
        STRUCT_SIZES.put(OvsHeader.class, 4);
        STRUCT_SIZES.put(DpStats.class, 32);
        STRUCT_SIZES.put(DpMegaflowStats.class, 32);
        STRUCT_SIZES.put(VportStats.class, 64);
        STRUCT_SIZES.put(FlowStats.class, 16);
        STRUCT_SIZES.put(KeyEthernet.class, 12);
        STRUCT_SIZES.put(KeyMpls.class, 4);
        STRUCT_SIZES.put(KeyIpv4.class, 12);
        STRUCT_SIZES.put(KeyIpv6.class, 40);
        STRUCT_SIZES.put(KeyIpv6Exthdrs.class, 2);
        STRUCT_SIZES.put(KeyTcp.class, 4);
        STRUCT_SIZES.put(KeyUdp.class, 4);
        STRUCT_SIZES.put(KeySctp.class, 4);
        STRUCT_SIZES.put(KeyIcmp.class, 2);
        STRUCT_SIZES.put(KeyIcmpv6.class, 2);
        STRUCT_SIZES.put(KeyArp.class, 24);
        STRUCT_SIZES.put(KeyNd.class, 28);
        STRUCT_SIZES.put(KeyCtLabels.class, 16);
        STRUCT_SIZES.put(KeyCtTupleIpv4.class, 16);
        STRUCT_SIZES.put(KeyCtTupleIpv6.class, 40);
        STRUCT_SIZES.put(NshKeyBase.class, 8);
        STRUCT_SIZES.put(NshKeyMd1.class, 16);
        STRUCT_SIZES.put(ActionTrunc.class, 4);
        STRUCT_SIZES.put(ActionPushMpls.class, 8);
        STRUCT_SIZES.put(ActionAddMpls.class, 8);
        STRUCT_SIZES.put(ActionPushVlan.class, 4);
        STRUCT_SIZES.put(ActionHash.class, 8);
        STRUCT_SIZES.put(ActionPushEth.class, 12);
        STRUCT_SIZES.put(ZoneLimit.class, 12);
    }

    // ---------------------------------------------------------------- off-by-one facts

    @Test
    void keyAttrEndsWithIpv6ExthdrsAt32() {
        assertThat(KeyAttr.IPV6_EXTHDRS).isEqualTo(32).isEqualTo(KeyAttr.MAX);
        assertThat(KeyAttr.NSH).isEqualTo(28);
        assertThat(KeyAttr.PACKET_TYPE).isEqualTo(29);
        assertThat(KeyAttr.ND_EXTENSIONS).isEqualTo(30);
        assertThat(KeyAttr.TUNNEL_INFO).isEqualTo(31);
        assertThat(KeyAttr.MPLS).isEqualTo(21);
        assertThat(KeyAttr.CT_LABELS).isEqualTo(25);
        assertThat(KeyAttr.NESTED).isEqualTo(-1);
        assertThat(KeyAttr.VARIABLE).isEqualTo(-2);
    }

    @Test
    void actionAttrValues() {
        assertThat(ActionAttr.SET_MASKED).isEqualTo(11);
        assertThat(ActionAttr.CT).isEqualTo(12);
        assertThat(ActionAttr.TRUNC).isEqualTo(13);
        assertThat(ActionAttr.PUSH_ETH).isEqualTo(14);
        assertThat(ActionAttr.METER).isEqualTo(19);
        assertThat(ActionAttr.CLONE).isEqualTo(20);
        assertThat(ActionAttr.CHECK_PKT_LEN).isEqualTo(21);
        assertThat(ActionAttr.ADD_MPLS).isEqualTo(22);
        assertThat(ActionAttr.DEC_TTL).isEqualTo(23).isEqualTo(ActionAttr.MAX);
        assertThat(ActionAttr.SET_TO_MASKED).isEqualTo(25);
        assertThat(ActionAttr.name(24)).isEqualTo("unknown(24)");
    }

    @Test
    void flowAndDatapathAttrValues() {
        assertThat(FlowAttr.UFID).isEqualTo(9);
        assertThat(FlowAttr.UFID_FLAGS).isEqualTo(10);
        assertThat(FlowAttr.MAX).isEqualTo(FlowAttr.PAD).isEqualTo(11);
        assertThat(UfidFlags.OMIT_KEY).isEqualTo(1);
        assertThat(UfidFlags.OMIT_MASK).isEqualTo(2);
        assertThat(UfidFlags.OMIT_ACTIONS).isEqualTo(4);
        assertThat(DpAttr.USER_FEATURES).isEqualTo(5);
        assertThat(DpAttr.MASKS_CACHE_SIZE).isEqualTo(7);
        assertThat(DpAttr.PER_CPU_PIDS).isEqualTo(8);
        assertThat(DpAttr.IFINDEX).isEqualTo(9).isEqualTo(DpAttr.MAX);
        assertThat(UserFeatures.UNALIGNED).isEqualTo(1);
        assertThat(UserFeatures.DISPATCH_UPCALL_PER_CPU).isEqualTo(8);
        assertThat(VportAttr.NETNSID).isEqualTo(9).isEqualTo(VportAttr.MAX);
        assertThat(PacketAttr.HASH).isEqualTo(11).isEqualTo(PacketAttr.MAX);
        assertThat(PacketCmd.MISS).isEqualTo(1);
        assertThat(PacketCmd.EXECUTE).isEqualTo(3);
        assertThat(TunnelKeyAttr.ID).isZero();
        assertThat(TunnelKeyAttr.IPV4_INFO_BRIDGE).isEqualTo(16).isEqualTo(TunnelKeyAttr.MAX);
        assertThat(SampleAttr.ARG).isEqualTo(4);
        assertThat(CheckPktLenAttr.ARG).isEqualTo(5);
        assertThat(CtAttr.TIMEOUT).isEqualTo(9);
        assertThat(MeterAttr.MAX).isEqualTo(MeterAttr.PAD).isEqualTo(9);
        assertThat(CtState.SUPPORTED_MASK).isEqualTo(0xff);
        assertThat(CtState.NAT_MASK).isEqualTo(0xc0);
    }

    @Test
    void familyNamesAndVersions() {
        assertThat(Families.DATAPATH_FAMILY).isEqualTo("ovs_datapath");
        assertThat(Families.DATAPATH_VERSION).isEqualTo(2);
        assertThat(Families.VPORT_FAMILY).isEqualTo("ovs_vport");
        assertThat(Families.FLOW_FAMILY).isEqualTo("ovs_flow");
        assertThat(Families.PACKET_FAMILY).isEqualTo("ovs_packet");
        assertThat(Families.METER_FAMILY).isEqualTo("ovs_meter");
        assertThat(Families.CT_LIMIT_FAMILY).isEqualTo("ovs_ct_limit");
        assertThat(Families.FLOW_VERSION).isEqualTo(1);
        assertThat(Families.OVSP_LOCAL).isZero();
    }

    // ---------------------------------------------------------------- length tables

    /**
     * The Java BUILD_BUG_ON: every key attribute declared here must either have an entry in the
     * length table or be one of those the 6.1 kernel rejects outright. Adding a constant without
     * a table entry fails this test.
     */
    @Test
    void everyKeyAttributeHasALengthEntry() throws IllegalAccessException {
        Map<String, Integer> attrs = enumConstants(KeyAttr.class);
        attrs.remove("UNSPEC");
        assertThat(attrs).hasSize(KeyAttr.MAX);
        for (Map.Entry<String, Integer> e : attrs.entrySet()) {
            int type = e.getValue();
            assertThat(KeyAttr.hasLengthEntry(type) || KeyAttr.rejectedByKernel(type))
                    .as("length entry for OVS_KEY_ATTR_%s", e.getKey())
                    .isTrue();
            assertThat(KeyAttr.hasLengthEntry(type) && KeyAttr.rejectedByKernel(type))
                    .as("OVS_KEY_ATTR_%s is both supported and rejected", e.getKey())
                    .isFalse();
        }
        assertThat(KeyAttr.hasLengthEntry(KeyAttr.UNSPEC)).isFalse();
        assertThat(KeyAttr.hasLengthEntry(KeyAttr.MAX + 1)).isFalse();
        assertThat(KeyAttr.hasLengthEntry(-1)).isFalse();
    }

    @Test
    void keyLengthsMatchTheKernelTable() {
        assertThat(KeyAttr.expectedLength(KeyAttr.ENCAP)).isEqualTo(KeyAttr.NESTED);
        assertThat(KeyAttr.expectedLength(KeyAttr.TUNNEL)).isEqualTo(KeyAttr.NESTED);
        assertThat(KeyAttr.expectedLength(KeyAttr.NSH)).isEqualTo(KeyAttr.NESTED);
        assertThat(KeyAttr.expectedLength(KeyAttr.MPLS)).isEqualTo(KeyAttr.VARIABLE);
        assertThat(KeyAttr.expectedLength(KeyAttr.PRIORITY)).isEqualTo(4);
        assertThat(KeyAttr.expectedLength(KeyAttr.VLAN)).isEqualTo(2);
        assertThat(KeyAttr.expectedLength(KeyAttr.ETHERNET)).isEqualTo(12);
        assertThat(KeyAttr.expectedLength(KeyAttr.IPV4)).isEqualTo(12);
        assertThat(KeyAttr.expectedLength(KeyAttr.IPV6)).isEqualTo(40);
        assertThat(KeyAttr.expectedLength(KeyAttr.ARP)).isEqualTo(24);
        assertThat(KeyAttr.expectedLength(KeyAttr.ND)).isEqualTo(28);
        assertThat(KeyAttr.expectedLength(KeyAttr.CT_ZONE)).isEqualTo(2);
        assertThat(KeyAttr.expectedLength(KeyAttr.CT_LABELS)).isEqualTo(16);
        assertThat(KeyAttr.expectedLength(KeyAttr.CT_ORIG_TUPLE_IPV4)).isEqualTo(16);
        assertThat(KeyAttr.expectedLength(KeyAttr.CT_ORIG_TUPLE_IPV6)).isEqualTo(40);
        assertThat(KeyAttr.expectedLength(KeyAttr.IPV6_EXTHDRS)).isEqualTo(2);
        // Slots absent from the C table read as zero, like the C array.
        assertThat(KeyAttr.expectedLength(KeyAttr.UNSPEC)).isZero();
        assertThat(KeyAttr.expectedLength(KeyAttr.TUNNEL_INFO)).isZero();
        assertThatThrownBy(() -> KeyAttr.expectedLength(KeyAttr.MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(KeyAttr.lengthAccepted(KeyAttr.IPV4, 12)).isTrue();
        assertThat(KeyAttr.lengthAccepted(KeyAttr.IPV4, 13)).isFalse();
        assertThat(KeyAttr.lengthAccepted(KeyAttr.MPLS, 12)).isTrue();
        assertThat(KeyAttr.lengthAccepted(KeyAttr.ENCAP, 100)).isTrue();
        assertThat(KeyAttr.lengthAccepted(KeyAttr.MAX + 1, 0)).isFalse();
    }

    @Test
    void tunnelKeyLengthTable() throws IllegalAccessException {
        for (Map.Entry<String, Integer> e : enumConstants(TunnelKeyAttr.class).entrySet()) {
            boolean expected = e.getValue() != TunnelKeyAttr.PAD;
            assertThat(TunnelKeyAttr.hasLengthEntry(e.getValue()))
                    .as("length entry for OVS_TUNNEL_KEY_ATTR_%s", e.getKey())
                    .isEqualTo(expected);
        }
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.ID)).isEqualTo(8);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.IPV4_DST)).isEqualTo(4);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.TTL)).isEqualTo(1);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.CSUM)).isZero();
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.GENEVE_OPTS)).isEqualTo(TunnelKeyAttr.VARIABLE);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.VXLAN_OPTS)).isEqualTo(TunnelKeyAttr.NESTED);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.IPV6_SRC)).isEqualTo(16);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.ERSPAN_OPTS)).isEqualTo(TunnelKeyAttr.VARIABLE);
        assertThat(TunnelKeyAttr.expectedLength(TunnelKeyAttr.IPV4_INFO_BRIDGE)).isZero();
        assertThat(TunnelKeyAttr.hasLengthEntry(TunnelKeyAttr.IPV4_INFO_BRIDGE)).isTrue();
    }

    @Test
    void nshAndVxlanLengthTables() throws IllegalAccessException {
        for (Map.Entry<String, Integer> e : enumConstants(NshKeyAttr.class).entrySet()) {
            assertThat(NshKeyAttr.hasLengthEntry(e.getValue()))
                    .as("length entry for OVS_NSH_KEY_ATTR_%s", e.getKey())
                    .isEqualTo(e.getValue() != NshKeyAttr.UNSPEC);
        }
        assertThat(NshKeyAttr.expectedLength(NshKeyAttr.BASE)).isEqualTo(8);
        assertThat(NshKeyAttr.expectedLength(NshKeyAttr.MD1)).isEqualTo(16);
        assertThat(NshKeyAttr.expectedLength(NshKeyAttr.MD2)).isEqualTo(NshKeyAttr.VARIABLE);
        assertThat(VxlanExtAttr.expectedLength(VxlanExtAttr.GBP)).isEqualTo(4);
        assertThat(VxlanExtAttr.hasLengthEntry(VxlanExtAttr.UNSPEC)).isFalse();
    }

    // ---------------------------------------------------------------- names

    @Test
    void nameRoundTripsForEveryDeclaredConstant() throws ReflectiveOperationException {
        for (Map.Entry<Class<?>, String> entry : ENUMS.entrySet()) {
            Class<?> cls = entry.getKey();
            Method name = cls.getMethod("name", int.class);
            for (Map.Entry<String, Integer> c : enumConstants(cls).entrySet()) {
                assertThat(name.invoke(null, c.getValue()))
                        .as("%s.name(%s)", cls.getSimpleName(), c.getKey())
                        .isEqualTo(entry.getValue() + c.getKey());
            }
            assertThat(name.invoke(null, -7)).isEqualTo("unknown(-7)");
            assertThat(name.invoke(null, 4096)).isEqualTo("unknown(4096)");
        }
    }

    @Test
    void maxIsTheHighestUserspaceValueAndValuesAreDistinct() throws ReflectiveOperationException {
        for (Class<?> cls : ENUMS.keySet()) {
            int max = cls.getField("MAX").getInt(null);
            Map<Integer, String> seen = new HashMap<>();
            int highest = Integer.MIN_VALUE;
            for (Map.Entry<String, Integer> c : enumConstants(cls).entrySet()) {
                String previous = seen.put(c.getValue(), c.getKey());
                assertThat(previous)
                        .as("%s.%s duplicates %s", cls.getSimpleName(), c.getKey(), previous)
                        .isNull();
                if (!KERNEL_ONLY_PAST_MAX.contains(cls.getSimpleName() + "." + c.getKey())) {
                    highest = Math.max(highest, c.getValue());
                } else {
                    assertThat(c.getValue()).isGreaterThan(max + 1);
                }
            }
            assertThat(max).as("%s.MAX", cls.getSimpleName()).isEqualTo(highest);
        }
    }

    @Test
    void flagDescriptions() {
        assertThat(UserFeatures.describe(UserFeatures.UNALIGNED | UserFeatures.VPORT_PIDS))
                .isEqualTo("OVS_DP_F_UNALIGNED|OVS_DP_F_VPORT_PIDS");
        assertThat(CtState.describe(CtState.NEW | CtState.TRACKED | 0x100))
                .isEqualTo("OVS_CS_F_NEW|OVS_CS_F_TRACKED|0x100");
        assertThat(UfidFlags.describe(0)).isEqualTo("0");
        assertThat(CtState.name(CtState.NAT_MASK)).isEqualTo("unknown(192)");
    }

    // ---------------------------------------------------------------- structs

    @Test
    void structLengthsMatchTheCompiler() throws ReflectiveOperationException {
        for (Map.Entry<Class<?>, Integer> e : STRUCT_SIZES.entrySet()) {
            assertThat(e.getKey().getField("LENGTH").getInt(null))
                    .as("%s.LENGTH", e.getKey().getSimpleName())
                    .isEqualTo(e.getValue());
        }
        assertThat(KeyIpv4.LENGTH).isEqualTo(12);
        assertThat(KeyIpv6.LENGTH).isEqualTo(40);
        assertThat(KeyArp.LENGTH).isEqualTo(24);
        assertThat(KeyNd.LENGTH).isEqualTo(28);
        assertThat(KeyCtTupleIpv4.LENGTH).isEqualTo(16);
        assertThat(KeyCtTupleIpv6.LENGTH).isEqualTo(40);
        assertThat(FlowStats.LENGTH).isEqualTo(16);
        assertThat(DpStats.LENGTH).isEqualTo(32);
        assertThat(VportStats.LENGTH).isEqualTo(64);
        assertThat(DpMegaflowStats.LENGTH).isEqualTo(32);
    }

    @Test
    void fieldOffsetsFallInsideTheirStruct() throws ReflectiveOperationException {
        for (Class<?> cls : STRUCT_SIZES.keySet()) {
            int length = cls.getField("LENGTH").getInt(null);
            List<String> offsets = new ArrayList<>();
            for (Field f : cls.getDeclaredFields()) {
                if (isPublicStaticFinalInt(f) && f.getName().endsWith("_OFFSET")) {
                    offsets.add(f.getName());
                    assertThat(f.getInt(null)).as("%s.%s", cls.getSimpleName(), f.getName())
                            .isBetween(0, length - 1);
                }
            }
            assertThat(offsets).as("%s has field offsets", cls.getSimpleName()).isNotEmpty();
        }
        assertThat(KeyArp.ARP_THA_OFFSET + KeyArp.ARP_HA_LENGTH).isEqualTo(22);
        assertThat(KeyCtTupleIpv4.IPV4_PROTO_OFFSET + 1).isEqualTo(13);
        assertThat(KeyCtTupleIpv6.IPV6_PROTO_OFFSET + 1).isEqualTo(37);
        assertThat(DpMegaflowStats.N_CACHE_HIT_OFFSET).isEqualTo(16);
        assertThat(ActionAddMpls.TUN_FLAGS_OFFSET).isEqualTo(6);
        assertThat(ZoneLimit.DEFAULT_ZONE).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- helpers

    private static boolean isPublicStaticFinalInt(Field f) {
        int m = f.getModifiers();
        return Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m)
                && f.getType() == int.class;
    }

    /** Declared enum constants of {@code cls}: public static final ints except MAX, markers and masks. */
    private static Map<String, Integer> enumConstants(Class<?> cls) throws IllegalAccessException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Field f : cls.getDeclaredFields()) {
            if (!isPublicStaticFinalInt(f)) {
                continue;
            }
            String n = f.getName();
            if (n.equals("MAX") || n.equals("NESTED") || n.equals("VARIABLE") || n.endsWith("_MASK")) {
                continue;
            }
            out.put(n, f.getInt(null));
        }
        return out;
    }
}
