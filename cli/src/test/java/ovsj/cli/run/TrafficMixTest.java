package ovsj.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovsj.datapath.vport.PcapFile;

/** The generated traffic: announcements first, K distinct flows, Zipf popularity, valid frames. */
class TrafficMixTest {
  private static final int K = 1000;

  @TempDir Path tmp;

  @Test
  void sourcesAnnounceThemselvesFirstThenEveryFlowIsOfferedWithZipfPopularity() throws IOException {
    TrafficMix mix = TrafficMix.write(tmp.resolve("s.pcap"), tmp.resolve("d.pcap"), K, 2);
    int s = mix.sources();
    assertThat(s).isEqualTo(32);
    assertThat(mix.destinations()).isEqualTo(32);
    assertThat(mix.sourceFrames()).isEqualTo(s + 2L * K);
    assertThat(mix.megaflows()).isEqualTo(K + 64L);

    List<byte[]> frames = read(tmp.resolve("s.pcap"));
    assertThat(frames).hasSize((int) mix.sourceFrames());
    // Phase 1: one gratuitous ARP per source, to the broadcast address, each from another source MAC.
    Set<Long> announced = new HashSet<>();
    for (byte[] f : frames.subList(0, s)) {
      assertThat(mac(f, 0)).isEqualTo(0xffff_ffff_ffffL);
      assertThat(u16(f, 12)).isEqualTo(Frames.ETH_P_ARP);
      assertThat(mac(f, 22)).as("ARP sender is the frame's source").isEqualTo(mac(f, 6));
      assertThat(u32(f, 28)).as("gratuitous: sender IP = target IP").isEqualTo(u32(f, 38));
      announced.add(mac(f, 6));
    }
    assertThat(announced).hasSize(s);

    // Phase 2: IPv4 UDP and TCP from an announced source to a destination; K distinct MAC pairs.
    Map<Long, Integer> perPair = new HashMap<>();
    Set<Integer> protos = new HashSet<>();
    for (byte[] f : frames.subList(s, frames.size())) {
      assertThat(f).hasSize(Frames.LENGTH);
      assertThat(u16(f, 12)).isEqualTo(Frames.ETH_P_IP);
      assertThat(announced).contains(mac(f, 6));
      assertThat(checksum(f, 14, 20)).as("IPv4 header checksum").isEqualTo(0xffff);
      int proto = f[23];
      protos.add(proto);
      int l4 = 34;
      int len = Frames.LENGTH - l4;
      int pseudo = (int) (u32(f, 26) >>> 16) + (int) (u32(f, 26) & 0xffff) + (int) (u32(f, 30) >>> 16)
          + (int) (u32(f, 30) & 0xffff) + proto + len;
      assertThat(fold(pseudo + checksum(f, l4, len))).as("L4 checksum").isEqualTo(0xffff);
      perPair.merge((mac(f, 6) << 24) ^ (mac(f, 0) & 0xffffff), 1, Integer::sum);
    }
    assertThat(protos).containsExactlyInAnyOrder(Frames.IPPROTO_UDP, Frames.IPPROTO_TCP);
    assertThat(perPair).as("every flow present, each a distinct MAC pair").hasSize(K);

    // Zipf: the most popular flow carries far more than 1/K of the packets; the median flow a few.
    int[] counts = perPair.values().stream().mapToInt(Integer::intValue).sorted().toArray();
    int top = counts[counts.length - 1];
    double share = (double) top / (2 * K);
    assertThat(share).as("top flow's share").isGreaterThan(50.0 / K);
    double expected = (1 + K * new Zipf(K, TrafficMix.ZIPF_EXPONENT).probability(0)) / (2 * K);
    assertThat(share).isBetween(expected * 0.8, expected * 1.2);
    assertThat(counts[counts.length / 2]).as("median flow").isBetween(1, 3);
    assertThat(top).isEqualTo((int) mix.largestFlowFrames());
  }

  @Test
  void destinationsAnnounceThemselves() throws IOException {
    TrafficMix mix = TrafficMix.write(tmp.resolve("s.pcap"), tmp.resolve("d.pcap"), K, 2);
    List<byte[]> frames = read(tmp.resolve("d.pcap"));
    assertThat(frames).hasSize(mix.destinations());
    Set<Long> macs = new HashSet<>();
    for (byte[] f : frames) {
      assertThat(mac(f, 0)).isEqualTo(0xffff_ffff_ffffL);
      assertThat(u16(f, 12)).isEqualTo(Frames.ETH_P_ARP);
      macs.add(mac(f, 6));
    }
    assertThat(macs).hasSize(mix.destinations()).contains(Frames.destinationMac(0));
    // Every flow's destination MAC is one of them.
    Set<Long> flowDestinations = new HashSet<>();
    List<byte[]> src = read(tmp.resolve("s.pcap"));
    for (byte[] f : src.subList(mix.sources(), src.size())) {
      flowDestinations.add(mac(f, 0));
    }
    assertThat(macs).containsAll(flowDestinations);
  }

  @Test
  void sameFlowsSameFileAndTcpFlowsStartWithASyn() throws IOException {
    TrafficMix.write(tmp.resolve("a.pcap"), tmp.resolve("ad.pcap"), 300, 3);
    TrafficMix mix = TrafficMix.write(tmp.resolve("b.pcap"), tmp.resolve("bd.pcap"), 300, 3);
    assertThat(Files.readAllBytes(tmp.resolve("a.pcap"))).isEqualTo(Files.readAllBytes(tmp.resolve("b.pcap")));

    List<byte[]> frames = read(tmp.resolve("b.pcap"));
    Set<Integer> seenTcp = new HashSet<>();
    int syns = 0;
    for (byte[] f : frames.subList(mix.sources(), frames.size())) {
      if (f[23] == Frames.IPPROTO_TCP) {
        int sport = u16(f, 34);
        boolean syn = (f[47] & Frames.TCP_SYN) != 0;
        assertThat(syn).as("SYN iff the flow's first frame").isEqualTo(seenTcp.add(sport));
        syns += syn ? 1 : 0;
      }
    }
    assertThat(syns).isEqualTo(150);
  }

  @Test
  void offeredCountsTheDistinctFlowsOfTheFirstPass() throws IOException {
    TrafficMix mix = TrafficMix.write(tmp.resolve("s.pcap"), tmp.resolve("d.pcap"), 5000, 2);
    List<byte[]> frames = read(tmp.resolve("s.pcap"));
    Set<Long> seen = new HashSet<>();
    long prev = 0;
    for (int i = 0; i <= frames.size(); i++) {
      long offered = mix.offered(i);
      assertThat(offered).as("a lower bound at %d", i).isLessThanOrEqualTo(seen.size()).isGreaterThanOrEqualTo(prev);
      prev = offered;
      if (i < frames.size() && i >= mix.sources()) {
        byte[] f = frames.get(i);
        seen.add((mac(f, 6) << 24) ^ (mac(f, 0) & 0xffffff));
      }
    }
    assertThat(mix.offered(0)).isZero();
    assertThat(mix.offered(mix.sourceFrames())).isEqualTo(5000);
    assertThat(mix.offered(mix.sourceFrames() * 3)).isEqualTo(5000);
    // Halfway through the pass, more than half of the flows were offered (popular ones come early).
    assertThat(mix.offered(mix.sources() + 5000)).isGreaterThan(2500).isLessThan(5000);
  }

  @Test
  void destinationRateRepeatsTheAnnouncementsEveryPassAndAtLeastOnceASecond() throws IOException {
    TrafficMix mix = TrafficMix.write(tmp.resolve("s.pcap"), tmp.resolve("d.pcap"), 10_000, 2);
    assertThat(mix.destinations()).isEqualTo(100);
    assertThat(mix.destinationRate(50_000)).isEqualTo(50_000L * 100 / 20_100);
    assertThat(mix.destinationRate(2_000)).isEqualTo(100); // once a second
    assertThat(mix.destinationRate(100)).isEqualTo(10); // at most a tenth of the sources' rate
    assertThat(mix.destinationRate(0)).isEqualTo(100);
  }

  @Test
  void zipfSamplesFollowTheProbabilities() {
    Zipf z = new Zipf(100, 1.0);
    double h = 0;
    for (int r = 1; r <= 100; r++) {
      h += 1.0 / r;
    }
    assertThat(z.probability(0)).isCloseTo(1 / h, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(z.probability(9)).isCloseTo(0.1 / h, org.assertj.core.data.Offset.offset(1e-12));
    int[] n = new int[100];
    var rnd = new java.util.SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      n[z.sample(rnd)]++;
    }
    assertThat(n[0] / 100_000.0).isCloseTo(1 / h, org.assertj.core.data.Offset.offset(0.01));
    assertThat(n[0]).isGreaterThan(n[1]).isGreaterThan(n[9] * 5);
    assertThat(Arrays.stream(n).min().getAsInt()).isPositive();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> TrafficMix.write(tmp.resolve("s"), tmp.resolve("d"), 0, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrafficMix.write(tmp.resolve("s"), tmp.resolve("d"), 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static List<byte[]> read(Path file) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    try (PcapFile.Reader r = PcapFile.Reader.open(file)) {
      while (r.next()) {
        frames.add(Arrays.copyOf(r.data(), r.length()));
      }
    }
    return frames;
  }

  static long mac(byte[] f, int off) {
    long m = 0;
    for (int i = 0; i < 6; i++) {
      m = (m << 8) | (f[off + i] & 0xff);
    }
    return m;
  }

  static int u16(byte[] f, int off) {
    return ((f[off] & 0xff) << 8) | (f[off + 1] & 0xff);
  }

  static long u32(byte[] f, int off) {
    return ((long) u16(f, off) << 16) | u16(f, off + 2);
  }

  private static int checksum(byte[] f, int off, int len) {
    int s = 0;
    for (int i = 0; i < len; i += 2) {
      s += u16(f, off + i);
    }
    return fold(s);
  }

  private static int fold(int s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return s;
  }
}
