package ovsj.vswitchd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ovsj.vswitchd.XlateTestFlows.ip;
import static ovsj.vswitchd.XlateTestFlows.mac;

import java.util.List;

import org.junit.jupiter.api.Test;

class RulesParserTest {

    static Rules parse(String text) throws RulesParseException {
        return RulesParser.parse(text, "rules.txt");
    }

    static Rules.Rule one(String line) throws RulesParseException {
        return RulesParser.parseRule(line, "rules.txt", 1);
    }

    @Test
    void parsesAFileInPriorityOrder() throws Exception {
        Rules r = parse("""
                # a comment, then a blank line

                priority=10,actions=drop
                in_port=1 actions=normal
                priority=200,tcp,nw_dst=10.0.0.0/8,tp_dst=80,actions=mod_dl_dst:02:00:00:00:00:09,output:2
                priority=200, arp, actions=output:3,4
                """);
        assertThat(r.size()).isEqualTo(4);
        List<Rules.Rule> rules = r.rules();
        assertThat(rules).as("32768 (the default) first, then 200 in file order, then 10")
                .extracting(Rules.Rule::line).containsExactly(4, 5, 6, 3);
        assertThat(rules.get(0).priority()).isEqualTo(Rules.DEFAULT_PRIORITY);
        Rules.Rule web = rules.get(1);
        assertThat(web.maskOf(XlateField.DL_TYPE)).isEqualTo(0xffff);
        assertThat(web.maskOf(XlateField.NW_PROTO)).isEqualTo(0xff);
        assertThat(web.maskOf(XlateField.NW_DST)).isEqualTo(0xff000000L);
        assertThat(web.maskOf(XlateField.TP_DST)).isEqualTo(0xffff);
        assertThat(web.maskOf(XlateField.NW_SRC)).isZero();
        assertThat(web.actions()).containsExactly(new RulesAction.SetField(XlateField.DL_DST, mac("02:00:00:00:00:09")),
                new RulesAction.Output(2));
        assertThat(rules.get(2).actions()).containsExactly(new RulesAction.Output(3), new RulesAction.Output(4));
        assertThat(rules.get(0).actions()).containsExactly(new RulesAction.Normal());
        assertThat(rules.get(0).hasNormal()).isTrue();
        assertThat(rules.get(3).actions()).isEmpty();
    }

    @Test
    void fieldsAndMasks() throws Exception {
        Rules.Rule r = one("dl_src=02:00:00:00:00:01/ff:ff:ff:00:00:00,dl_dst=ff:ff:ff:ff:ff:ff,dl_vlan=10,"
                + "ip,nw_src=192.168.1.77/255.255.255.0,nw_proto=17,tp_src=0x1000/0xf000,in_port=LOCAL,actions=");
        assertThat(r.maskOf(XlateField.DL_SRC)).isEqualTo(0xffffff000000L);
        assertThat(r.maskOf(XlateField.DL_DST)).isEqualTo(0xffffffffffffL);
        assertThat(r.maskOf(XlateField.VLAN_TCI)).isEqualTo(0x1fff);
        assertThat(r.maskOf(XlateField.NW_SRC)).isEqualTo(0xffffff00L);
        assertThat(r.maskOf(XlateField.TP_SRC)).isEqualTo(0xf000);
        assertThat(r.maskOf(XlateField.IN_PORT)).isEqualTo(0xffff);
        for (int i = 0; i < r.fieldCount(); i++) {
            switch (r.field(i)) {
                case DL_SRC -> assertThat(r.value(i)).as("value cut to the mask").isEqualTo(0x020000000000L);
                case VLAN_TCI -> assertThat(r.value(i)).isEqualTo(0x100a);
                case NW_SRC -> assertThat(r.value(i)).isEqualTo(ip("192.168.1.0"));
                case IN_PORT -> assertThat(r.value(i)).isZero();
                default -> {
                }
            }
        }
        assertThat(r.actions()).isEmpty();
        assertThat(one("dl_vlan=0xffff,actions=drop").maskOf(XlateField.VLAN_TCI)).isEqualTo(XlateField.VLAN_CFI);
        assertThat(one("ip,nw_dst=0.0.0.0/0,actions=drop").maskOf(XlateField.NW_DST)).as("/0 is no match").isZero();
        assertThat(one("tcp6,tp_dst=22,actions=drop").maskOf(XlateField.DL_TYPE)).isEqualTo(0xffff);
        assertThat(one("priority=0,arp,nw_src=10.0.0.1,nw_proto=1,actions=NORMAL").actions())
                .containsExactly(new RulesAction.Normal());
    }

    @Test
    void actions() throws Exception {
        assertThat(one("actions=mod_dl_src:02:00:00:00:00:01,mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,"
                + "mod_tp_src:1000,mod_tp_dst:2000,output:7,normal").actions()).containsExactly(
                new RulesAction.SetField(XlateField.DL_SRC, mac("02:00:00:00:00:01")),
                new RulesAction.SetField(XlateField.NW_SRC, ip("1.2.3.4")),
                new RulesAction.SetField(XlateField.NW_DST, ip("5.6.7.8")),
                new RulesAction.SetField(XlateField.TP_SRC, 1000),
                new RulesAction.SetField(XlateField.TP_DST, 2000),
                new RulesAction.Output(7), new RulesAction.Normal());
        assertThat(one("actions=drop").actions()).isEmpty();
        assertThat(one("actions=mod_dl_dst:02:00:00:00:00:02,2").actions().get(0).toString())
                .isEqualTo("mod_dl_dst:02:00:00:00:00:02");
    }

    static void fails(String text, int line, String token, String message) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(RulesParseException.class)
                .hasMessageContaining("rules.txt:" + line + ": ")
                .hasMessageContaining(token == null ? "" : "\"" + token + "\"")
                .hasMessageContaining(message)
                .satisfies(e -> {
                    RulesParseException p = (RulesParseException) e;
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.token()).isEqualTo(token);
                });
    }

    @Test
    void errorsNameTheLineAndTheToken() {
        fails("actions=drop\nin_port=1", 2, null, "must specify an action");
        fails("nw_tos=4,actions=drop", 1, "nw_tos=4", "unknown field \"nw_tos\"");
        fails("foo,actions=drop", 1, "foo", "unknown field or shorthand");
        fails("in_port,actions=drop", 1, "in_port", "missing value");
        fails("in_port=,actions=drop", 1, "in_port=", "missing value");
        fails("in_port=x1,actions=drop", 1, "in_port=x1", "\"x1\" is not a number");
        fails("in_port=65535,actions=drop", 1, "in_port=65535", "not a datapath port");
        fails("priority=70000,actions=drop", 1, "priority=70000", "70000 is out of range 0..65535");
        fails("dl_src=02:00:00:00:00,actions=drop", 1, "dl_src=02:00:00:00:00", "not an Ethernet address");
        fails("dl_dst=02:00:00:00:00:zz,actions=drop", 1, "dl_dst=02:00:00:00:00:zz", "not an Ethernet address");
        fails("ip,nw_src=10.0.0.0/33,actions=drop", 1, "nw_src=10.0.0.0/33", "prefix length 33 is not in 0..32");
        fails("ip,nw_dst=10.0.0.256,actions=drop", 1, "nw_dst=10.0.0.256", "not an IPv4 address");
        fails("nw_src=10.0.0.1,actions=drop", 1, "nw_src=10.0.0.1", "nw_src requires dl_type=0x0800");
        fails("dl_type=0x86dd,nw_dst=10.0.0.1,actions=drop", 1, "nw_dst=10.0.0.1", "requires dl_type");
        fails("nw_proto=6,actions=drop", 1, "nw_proto=6", "nw_proto requires dl_type");
        fails("ip,tp_dst=80,actions=drop", 1, "tp_dst=80", "tp_dst requires nw_proto=6, 17 or 132");
        fails("icmp,tp_src=8,actions=drop", 1, "tp_src=8", "tp_src requires nw_proto");
        fails("tcp,udp,actions=drop", 1, "udp", "nw_proto conflicts with \"tcp\"");
        fails("arp,dl_type=0x0800,actions=drop", 1, "dl_type=0x0800", "dl_type conflicts with \"arp\"");
        fails("dl_vlan=4096,actions=drop", 1, "dl_vlan=4096", "VLAN id 4096 is not in 0..4095");
        fails("dl_type=0x800/0xff00,actions=drop", 1, "dl_type=0x800/0xff00", "does not take a mask");
        fails("priority=1,priority=2,actions=drop", 1, "priority=2", "priority given twice");
        fails("\n\nactions=drop,output:1", 3, "drop", "\"drop\" must not be accompanied");
        fails("actions=output:1,,2", 1, "actions=output:1,,2", "empty action");
        fails("actions=flood", 1, "flood", "unknown action");
        fails("actions=controller:100", 1, "controller:100", "unknown action \"controller\"");
        fails("actions=output:", 1, "output:", "missing argument");
        fails("actions=mod_nw_src:1.2.3", 1, "mod_nw_src:1.2.3", "not an IPv4 address");
        fails("actions=mod_tp_dst:65536", 1, "mod_tp_dst:65536", "out of range");
    }

    @Test
    void sameValueTwiceIsFine() throws Exception {
        assertThat(one("tcp,ip,nw_proto=6,dl_type=0x0800,actions=drop").fieldCount()).isEqualTo(2);
    }
}
