package ovsj.odp.codec;

import static ovsj.odp.codec.KeyParser.ETH_P_ARP;
import static ovsj.odp.codec.KeyParser.ETH_P_IP;
import static ovsj.odp.codec.KeyParser.ETH_P_IPV6;
import static ovsj.odp.codec.KeyParser.ETH_P_MPLS_MC;
import static ovsj.odp.codec.KeyParser.ETH_P_MPLS_UC;
import static ovsj.odp.codec.KeyParser.ETH_P_NSH;
import static ovsj.odp.codec.KeyParser.ETH_P_RARP;
import static ovsj.odp.codec.KeyParser.IPPROTO_ICMP;
import static ovsj.odp.codec.KeyParser.IPPROTO_ICMPV6;
import static ovsj.odp.codec.KeyParser.IPPROTO_SCTP;
import static ovsj.odp.codec.KeyParser.IPPROTO_TCP;
import static ovsj.odp.codec.KeyParser.IPPROTO_UDP;
import static ovsj.odp.codec.KeyParser.NDISC_NEIGHBOUR_ADVERTISEMENT;
import static ovsj.odp.codec.KeyParser.NDISC_NEIGHBOUR_SOLICITATION;

import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.uapi.FragType;
import ovsj.odp.uapi.KeyAttr;

/**
 * The kernel's {@code match_validate}: a key must carry the attributes its EtherType and IP protocol
 * imply, and a mask may only constrain the L3/L4 attributes whose prerequisites it matches exactly
 * (an L3 attribute needs an exact EtherType mask, an L4 one an exact IP protocol mask, ND an exact
 * ICMPv6 type).
 */
final class MatchValidator {
    private MatchValidator() {
    }

    private static long bit(int type) {
        return 1L << type;
    }

    /** Returns whether the match is acceptable, logging the kernel's line when it is not. */
    static boolean validate(FlowKey key, FlowKey mask, long keyAttrs, long maskAttrs, KernelLog log) {
        long keyExpected = 0;
        long maskAllowed = keyAttrs;
        maskAllowed &= ~(bit(KeyAttr.IPV4) | bit(KeyAttr.CT_ORIG_TUPLE_IPV4) | bit(KeyAttr.IPV6)
                | bit(KeyAttr.CT_ORIG_TUPLE_IPV6) | bit(KeyAttr.TCP) | bit(KeyAttr.TCP_FLAGS) | bit(KeyAttr.UDP)
                | bit(KeyAttr.SCTP) | bit(KeyAttr.ICMP) | bit(KeyAttr.ICMPV6) | bit(KeyAttr.ARP) | bit(KeyAttr.ND)
                | bit(KeyAttr.MPLS) | bit(KeyAttr.NSH));
        maskAllowed |= bit(KeyAttr.TUNNEL) | bit(KeyAttr.IN_PORT) | bit(KeyAttr.ETHERTYPE);

        int ethType = key.ethType();
        boolean exactEthType = mask != null && mask.ethType() == 0xffff;
        boolean exactProto = mask != null && mask.ipProto() == 0xff;
        if (ethType == ETH_P_ARP || ethType == ETH_P_RARP) {
            keyExpected |= bit(KeyAttr.ARP);
            if (exactEthType) {
                maskAllowed |= bit(KeyAttr.ARP);
            }
        }
        if (ethType == ETH_P_MPLS_UC || ethType == ETH_P_MPLS_MC) {
            keyExpected |= bit(KeyAttr.MPLS);
            if (exactEthType) {
                maskAllowed |= bit(KeyAttr.MPLS);
            }
        }
        if (ethType == ETH_P_IP || ethType == ETH_P_IPV6) {
            boolean v4 = ethType == ETH_P_IP;
            keyExpected |= bit(v4 ? KeyAttr.IPV4 : KeyAttr.IPV6);
            if (exactEthType) {
                maskAllowed |= bit(v4 ? KeyAttr.IPV4 : KeyAttr.IPV6);
                maskAllowed |= bit(v4 ? KeyAttr.CT_ORIG_TUPLE_IPV4 : KeyAttr.CT_ORIG_TUPLE_IPV6);
            }
            if (key.ipFrag() != FragType.LATER) {
                int proto = key.ipProto();
                if (proto == IPPROTO_UDP) {
                    keyExpected |= bit(KeyAttr.UDP);
                    if (exactProto) {
                        maskAllowed |= bit(KeyAttr.UDP);
                    }
                }
                if (proto == IPPROTO_SCTP) {
                    keyExpected |= bit(KeyAttr.SCTP);
                    if (exactProto) {
                        maskAllowed |= bit(KeyAttr.SCTP);
                    }
                }
                if (proto == IPPROTO_TCP) {
                    keyExpected |= bit(KeyAttr.TCP) | bit(KeyAttr.TCP_FLAGS);
                    if (exactProto) {
                        maskAllowed |= bit(KeyAttr.TCP) | bit(KeyAttr.TCP_FLAGS);
                    }
                }
                if (v4 && proto == IPPROTO_ICMP) {
                    keyExpected |= bit(KeyAttr.ICMP);
                    if (exactProto) {
                        maskAllowed |= bit(KeyAttr.ICMP);
                    }
                }
                if (!v4 && proto == IPPROTO_ICMPV6) {
                    keyExpected |= bit(KeyAttr.ICMPV6);
                    if (exactProto) {
                        maskAllowed |= bit(KeyAttr.ICMPV6);
                    }
                    int type = key.u16(FlowKey.TP_SRC_OFFSET);
                    if (type == NDISC_NEIGHBOUR_SOLICITATION || type == NDISC_NEIGHBOUR_ADVERTISEMENT) {
                        keyExpected |= bit(KeyAttr.ND);
                        // The CT original tuple shares its place in the key with the ND fields.
                        maskAllowed &= ~bit(KeyAttr.CT_ORIG_TUPLE_IPV6);
                        if (mask != null && mask.u16(FlowKey.TP_SRC_OFFSET) == 0xff) {
                            maskAllowed |= bit(KeyAttr.ND);
                        }
                    }
                }
            }
        }
        if (ethType == ETH_P_NSH) {
            keyExpected |= bit(KeyAttr.NSH);
            if (exactEthType) {
                maskAllowed |= bit(KeyAttr.NSH);
            }
        }
        if ((keyAttrs & keyExpected) != keyExpected) {
            log.nlerr("Missing key (keys=" + Long.toHexString(keyAttrs) + ", expected="
                    + Long.toHexString(keyExpected) + ")");
            return false;
        }
        if ((maskAttrs & maskAllowed) != maskAttrs) {
            log.nlerr("Unexpected mask (mask=" + Long.toHexString(maskAttrs) + ", allowed="
                    + Long.toHexString(maskAllowed) + ")");
            return false;
        }
        return true;
    }
}
