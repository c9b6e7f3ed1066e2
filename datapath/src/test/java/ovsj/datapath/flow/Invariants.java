package ovsj.datapath.flow;

import static org.assertj.core.api.Assertions.assertThat;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;
import ovsj.odp.uapi.FragType;

/** What must hold after any extraction, whatever the frame. */
final class Invariants {
    private Invariants() {
    }

    static void check(Packet p, int rc) {
        FlowKey k = p.key;
        int end = p.off + p.len;
        assertThat(rc).isIn(0, -KeyExtractor.EINVAL);
        assertThat(p.macOff).isEqualTo(p.off);
        assertThat(k.inPort()).isEqualTo(p.inPort & 0xffff);
        assertThat(k.macProto()).isEqualTo(FlowKey.MAC_PROTO_ETHERNET);
        if (p.len < KeyExtractor.ETH_HLEN) {
            assertThat(rc).isEqualTo(-KeyExtractor.EINVAL);
            assertThat(p.networkOff).isEqualTo(-1);
            assertThat(k.ethType()).isZero();
            return;
        }
        assertThat(p.networkOff).isBetween(p.off + 12, end);
        int type = k.ethType();
        assertThat(type == KeyExtractor.ETH_P_802_2 || type >= KeyExtractor.ETH_P_802_3_MIN).isTrue();
        if (k.vlanTci() != 0) {
            assertThat(k.vlanTci() & KeyExtractor.VLAN_CFI_MASK).isNotZero();
            assertThat(KeyExtractor.isVlan(k.u16(FlowKey.VLAN_TPID_OFFSET))).isTrue();
        } else {
            assertThat(k.cvlanTci()).isZero();
        }
        if (k.cvlanTci() != 0) {
            assertThat(k.cvlanTci() & KeyExtractor.VLAN_CFI_MASK).isNotZero();
        }
        if (type == KeyExtractor.ETH_P_IP || type == KeyExtractor.ETH_P_IPV6) {
            assertThat(k.ipFrag()).isBetween(FragType.NONE, FragType.LATER);
            if (k.ipFrag() != FragType.LATER || type == KeyExtractor.ETH_P_IP) {
                assertThat(p.transportOff).isGreaterThanOrEqualTo(p.networkOff);
            }
            if (type == KeyExtractor.ETH_P_IP) {
                assertThat(p.transportOff).isLessThanOrEqualTo(end);
            }
            if (k.ipFrag() == FragType.LATER) {
                assertThat(k.u16(FlowKey.TP_SRC_OFFSET) | k.u16(FlowKey.TP_DST_OFFSET)).isZero();
            }
            if ((k.u16(FlowKey.TP_SRC_OFFSET) | k.u16(FlowKey.TP_DST_OFFSET)) != 0) {
                assertThat(p.transportOff + 4).as("ports read inside the frame").isLessThanOrEqualTo(end);
            }
            assertThat(k.u16(FlowKey.TCP_FLAGS_OFFSET) & ~0x0fff).isZero();
        } else {
            assertThat(p.transportOff).isEqualTo(-1);
        }
        if (type == KeyExtractor.ETH_P_MPLS_UC || type == KeyExtractor.ETH_P_MPLS_MC) {
            assertThat(k.u32(FlowKey.MPLS_LABELS_MASK_OFFSET)).isIn(0, 1, 3, 7);
        }
        if (rc != 0) {
            assertThat(type).isEqualTo(KeyExtractor.ETH_P_NSH);
        }
        assertThat(Frames.emit(k)).isNotEmpty();
    }
}
