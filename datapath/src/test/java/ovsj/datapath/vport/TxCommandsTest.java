package ovsj.datapath.vport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ovsj.datapath.vport.Client.error;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ovsj.datapath.OvsNet;
import ovsj.odp.uapi.VportType;
import ovsj.odp.unixctl.UnixctlServer.CommandException;

class TxCommandsTest {
    @TempDir
    Path dir;

    @Test
    void listsAndClearsWhatAnInternalPortWasSent() throws Exception {
        Client c = new Client();
        int dp = c.newDp("dp0");
        assertThat(error(c.newVport(dp, "p1", VportType.INTERNAL, null))).isZero();
        assertThat(error(c.newVport(dp, "pc", PcapDevice.OVS_VPORT_TYPE_PCAP,
                w -> w.putString(PcapOptions.OUTPUT, dir.resolve("o.pcap").toString())))).isZero();
        OvsNet net = c.ovs.net();
        InternalDevice d = (InternalDevice) net.vport("p1").device();
        assertThat(TxCommands.txList(net, "p1")).isEmpty();
        d.send(InternalDeviceTest.packet((byte) 0xab, (byte) 0x01));
        d.send(InternalDeviceTest.packet((byte) 0x00, (byte) 0xff, (byte) 0x10));
        assertThat(TxCommands.txList(net, "p1")).isEqualTo("ab01\n00ff10\n");
        assertThat(TxCommands.txList(net, "dp0")).isEmpty(); // the local port is internal too
        assertThat(TxCommands.txClear(net, "p1")).isEmpty();
        assertThat(TxCommands.txList(net, "p1")).isEmpty();
        assertThatThrownBy(() -> TxCommands.txList(net, "nosuch")).isInstanceOf(CommandException.class)
                .hasMessage("no such dummy netdev");
        assertThatThrownBy(() -> TxCommands.txClear(net, "pc")).isInstanceOf(CommandException.class)
                .hasMessage("pc is not an internal port");
    }
}
