package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ovsj.cli.run.RunPorts.Port;
import ovsj.cli.run.RunPorts.Type;

/** {@code --ports}: the syntax, its errors, and what is checked before the datapath sees the ports. */
class RunPortsTest {
  @TempDir Path tmp;

  @Test
  void parsesPortsAndTheirOptions() {
    List<Port> ports = RunPorts.parse(List.of(
        "p1:pcap:in=@sources,rate=1000,loop,p2:pcap:in=@destinations,out=/tmp/a:b.pcap,p3:internal",
        "eth-0.x:pcap:out=o.pcap"));
    assertThat(ports).containsExactly(
        new Port("p1", Type.PCAP, "@sources", null, 1000, true),
        new Port("p2", Type.PCAP, "@destinations", "/tmp/a:b.pcap", -1, false),
        Port.internal("p3"),
        new Port("eth-0.x", Type.PCAP, null, "o.pcap", -1, false));
    assertThat(ports.get(0).generated()).isTrue();
    assertThat(ports.get(0).text()).isEqualTo("p1:pcap:in=@sources,rate=1000,loop");
    assertThat(ports.get(1).text()).isEqualTo("p2:pcap:in=@destinations,out=/tmp/a:b.pcap");
  }

  @Test
  void theDefaultsAreWhatTheHelpSays() {
    assertThat(RunPorts.defaults(true, true).stream().map(Port::text))
        .containsExactly("p1:pcap:in=@sources,loop", "p2:pcap:in=@destinations,loop", "p3:internal");
    assertThat(RunPorts.parse(List.of("p1:pcap:in=@sources,loop,p2:pcap:in=@destinations,loop,p3:internal")))
        .isEqualTo(RunPorts.defaults(true, true));
    assertThat(RunPorts.defaults(false, true)).containsExactly(Port.internal("p1"), Port.internal("p2"),
        Port.internal("p3"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "p1:bridge                         | port 'p1': unknown type 'bridge' (internal or pcap)",
    "p1                                | port 'p1' has no type (internal or pcap)",
    "loop,p1:internal                  | option 'loop' before any port",
    "p1:internal:loop                  | port 'p1' is internal: 'loop' is a pcap port's option",
    "p1:internal,rate=5                | port 'p1' is internal: 'rate=5' is a pcap port's option",
    "p1:pcap                           | pcap port 'p1' needs in=FILE or out=FILE",
    "p1:pcap:out=x,loop                | port 'p1': loop needs in=FILE",
    "p1:pcap:in=x,rate=fast            | port 'p1': rate=fast is not a packet rate (0 to 4294967295)",
    "p1:pcap:in=x,rate=4294967296      | port 'p1': rate=4294967296 is not a packet rate",
    "p1:pcap:in=x,rate=-1              | port 'p1': rate=-1 is not a packet rate",
    "p1:pcap:in=x,speed=3              | port 'p1': unknown option 'speed'",
    "p1:pcap:in=x,in=y                 | port 'p1': option 'in' given twice",
    "p1:pcap:in=                       | port 'p1': in= needs a file name",
    "p1:pcap:in=@random                | port 'p1': unknown generated input '@random'",
    "p1:pcap:out=@sources              | port 'p1': out=@sources: only inputs are generated",
    "p1:internal,p1:internal           | port 'p1' given twice",
    "a-name-far-too-long:internal      | bad port name 'a-name-far-too-long'",
    "p 1:internal                      | bad port name 'p 1'",
    "p1:internal,,p2:internal          | empty item in 'p1:internal,,p2:internal'",
  })
  void refusesBadSpecsWithAReason(String spec, String reason) {
    assertThatThrownBy(() -> RunPorts.parse(List.of(spec)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(reason);
  }

  @Test
  void checkNeedsInputsThatExistAndTrafficForTheGeneratedOnes() throws IOException {
    Path file = Files.write(tmp.resolve("in.pcap"), new byte[24]);
    RunPorts.check(RunPorts.parse(List.of("p1:pcap:in=" + file)), 0, "ovsj0");
    RunPorts.check(RunPorts.defaults(true, true), 10, "ovsj0");

    assertThatThrownBy(() -> RunPorts.check(RunPorts.parse(List.of("p1:pcap:in=" + tmp.resolve("nope"))), 0,
        "ovsj0")).hasMessage("port 'p1': input file " + tmp.resolve("nope") + " does not exist");
    assertThatThrownBy(() -> RunPorts.check(RunPorts.parse(List.of("p1:pcap:in=" + tmp)), 0, "ovsj0"))
        .hasMessage("port 'p1': input file " + tmp + " is not a readable file");
    assertThatThrownBy(() -> RunPorts.check(RunPorts.defaults(true, true), 0, "ovsj0"))
        .hasMessage("port 'p1': in=@sources needs generated traffic (--flows above 0)");
    assertThatThrownBy(() -> RunPorts.check(RunPorts.parse(List.of("ovsj0:internal")), 0, "ovsj0"))
        .hasMessage("port 'ovsj0': the datapath's local port has that name");
  }
}
