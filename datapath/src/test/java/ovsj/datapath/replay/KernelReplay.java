package ovsj.datapath.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

import ovsj.datapath.Datapath;
import ovsj.datapath.DumpMode;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.Vport;
import ovsj.datapath.genl.GenlFamily;
import ovsj.datapath.transport.InProcessTransport;
import ovsj.datapath.transport.PortIds;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;
import ovsj.netlink.testing.KernelVectors;
import ovsj.netlink.testing.KernelVectors.Exchange;

/**
 * Replays recorded kernel exchanges ({@code vectors/kernel/<scenario>.jsonl}) through an
 * {@link InProcessTransport} against an {@link OvsDatapath}, and compares what comes back with what
 * Linux 6.1 answered, the way {@code shared/tools/parity.py} does:
 *
 * <ul>
 *   <li>Requests: the recorded bytes, with the family id mapped by name, a running seq, pid 0, and the
 *       {@code request_substitutions} applied: {@code pid} = our socket's portid; {@code dp} = our
 *       ifindex of the datapath the kernel's most recent {@code OVS_DP_CMD_NEW} reply named ({@code dp:NAME}
 *       that datapath), or the recorded value if the recording had none; {@code ifidx:NAME} = our
 *       ifindex of vport NAME.</li>
 *   <li>Replies: normalised on both sides ({@link ReplayNormalizer}). Dumps: flow dumps as multisets,
 *       other dumps as sequences, NLMSG_DONE separately, and the batching rule. Other steps: the exact
 *       sequence and the grouping into datagrams.</li>
 *   <li>Optionally ({@link #checkKlog(boolean)}) the kernel log lines of the step.</li>
 *   <li>{@code inject} steps (frames sent to a port: the packet path) and {@code ifup} steps (a no-op:
 *       internal ports are always up) are NOT replayed; they are counted and reported as skipped.</li>
 * </ul>
 *
 * Steps run in file order, each building on the state the previous ones left. Typical use:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> replay() {
 *     return KernelReplay.fresh("dp").checkKlog(true).dynamicTests();
 * }
 * }</pre>
 *
 * Not thread-safe: one replay at a time per instance.
 */
public final class KernelReplay {
    /** The process name the recording's kernel log lines quote. */
    public static final String COMM = "nlreplay";
    /** Our first netlink portid: deliberately not the recording's 100, so that normalisation is tested. */
    static final int FIRST_PORT_ID = 7001;

    /** What became of one step. */
    public enum Status { PASSED, FAILED, SKIPPED }

    /** One step's outcome: {@code message} says what differs (FAILED) or why it was not run (SKIPPED). */
    public record StepResult(String scenario, String step, Status status, String message) {
        @Override
        public String toString() {
            return status + " " + scenario + "/" + step + (message == null ? "" : ": " + message);
        }
    }

    private final String scenario;
    private final List<Exchange> exchanges;
    private final OvsDatapath ovs;
    private final ReplayConnection conn;
    private final List<String> klog;
    private boolean checkKlog;

    private final ReplayNormalizer expectedSide;
    private final ReplayNormalizer actualSide;
    private final Map<Integer, String> kernelFamilies = new HashMap<>();
    private final Map<Integer, String> serverFamilies = new HashMap<>();
    private final Map<String, Integer> serverIds = new HashMap<>();

    // What nlreplay had learned from the kernel's replies, and what we learned from ours.
    private String kernelLastDp;
    private final Map<String, Integer> kernelDps = new HashMap<>();
    private final Map<String, Integer> serverDps = new HashMap<>();
    private Integer serverLastIfindex;
    private int seq;

    private final List<StepResult> results = new ArrayList<>();

    /**
     * A replay of {@code exchanges} against {@code ovs}, whose kernel log must go to {@code klog} (the list
     * {@link #fresh} wires up; pass any list if {@link #checkKlog} stays off).
     */
    public KernelReplay(String scenario, List<Exchange> exchanges, OvsDatapath ovs, List<String> klog) {
        this(scenario, exchanges, ovs, klog, inProcess(ovs));
    }

    /** A replay over {@code conn}, a connection to {@code ovs} by any transport. */
    KernelReplay(String scenario, List<Exchange> exchanges, OvsDatapath ovs, List<String> klog,
                 ReplayConnection conn) {
        this.scenario = scenario;
        this.exchanges = List.copyOf(exchanges);
        this.ovs = ovs;
        this.klog = klog;
        this.conn = conn;

        KernelVectors.familyIds().forEach((name, id) -> kernelFamilies.put(id, name));
        kernelFamilies.put(ReplayNormalizer.GENL_ID_CTRL, "nlctrl");
        serverFamilies.put(ReplayNormalizer.GENL_ID_CTRL, "nlctrl");
        for (String name : ReplayNormalizer.CANON.keySet()) {
            GenlFamily f = ovs.genl().family(name);
            if (f != null) {
                serverFamilies.put(f.id(), name);
                serverIds.put(name, f.id());
            }
        }
        this.expectedSide = new ReplayNormalizer(kernelFamilies, KernelVectors.portId());
        this.actualSide = new ReplayNormalizer(serverFamilies, conn.portId());
    }

    /** An in-process connection, the way the daemon talks to its embedded datapath. */
    static ReplayConnection inProcess(OvsDatapath ovs) {
        InProcessTransport.Connection c = new InProcessTransport(ovs, new PortIds(FIRST_PORT_ID)).open(COMM);
        return new ReplayConnection() {
            @Override
            public int portId() {
                return c.portId();
            }

            @Override
            public List<byte[]> request(byte[] datagram) {
                List<byte[]> out = new ArrayList<>(c.request(datagram));
                for (byte[] u; (u = c.pollUnsolicited()) != null; ) {
                    out.add(u);
                }
                return out;
            }

            @Override
            public List<byte[]> inject(Runnable inject) {
                inject.run();
                List<byte[]> out = new ArrayList<>();
                for (byte[] u; (u = c.pollUnsolicited()) != null; ) {
                    out.add(u);
                }
                return out;
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    /** A replay of {@code scenario} against a fresh {@code OvsDatapath(1, SERIALIZE)}, as the vectors' VM had one CPU. */
    public static KernelReplay fresh(String scenario) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        OvsDatapath ovs = new OvsDatapath(1, DumpMode.SERIALIZE, lines::add);
        return new KernelReplay(scenario, KernelVectors.load(scenario), ovs, lines);
    }

    /** Whether the kernel log lines of each step must match too (off by default). */
    public KernelReplay checkKlog(boolean on) {
        this.checkKlog = on;
        return this;
    }

    public OvsDatapath datapath() {
        return ovs;
    }

    /** One JUnit test per step, in file order, then a summary; skipped steps are reported as aborted. */
    public Stream<DynamicTest> dynamicTests() {
        // JUnit runs dynamic tests as it pulls them, so steps that are not replayed (inject, ifup) still
        // run in file order, inline, without becoming tests of their own.
        Stream<DynamicTest> steps = exchanges.stream().flatMap(x -> {
            if (!x.kind().equals("request") && !x.kind().equals("inject")) {
                run(x);
                return Stream.empty();
            }
            return Stream.of(DynamicTest.dynamicTest(x.step(), () -> {
                StepResult r = run(x);
                if (r.status() != Status.PASSED) {
                    Assertions.fail(r.toString());
                }
            }));
        });
        long requests = exchanges.stream().filter(x -> x.kind().equals("request") || x.kind().equals("inject")).count();
        return Stream.concat(steps, Stream.of(DynamicTest.dynamicTest("every request step replayed", () -> {
            System.out.println(summary());
            long replayed = results.stream().filter(r -> r.status() != Status.SKIPPED).count();
            Assertions.assertEquals(requests, replayed, summary());
        })));
    }

    /** Every step, in order. */
    public List<StepResult> runAll() {
        for (Exchange x : exchanges) {
            run(x);
        }
        return results();
    }

    public List<StepResult> results() {
        return List.copyOf(results);
    }

    /** E.g. {@code "dp: 43 steps, 43 passed, 0 failed, 0 skipped"}, with the skipped kinds. */
    public String summary() {
        long passed = results.stream().filter(r -> r.status() == Status.PASSED).count();
        long failed = results.stream().filter(r -> r.status() == Status.FAILED).count();
        long skipped = results.stream().filter(r -> r.status() == Status.SKIPPED).count();
        long inject = results.stream().filter(r -> r.status() == Status.SKIPPED && r.message().startsWith("inject")).count();
        return scenario + ": " + results.size() + " steps, " + passed + " passed, " + failed + " failed, "
                + skipped + " skipped (not replayed: " + inject + " inject, " + (skipped - inject) + " ifup)";
    }

    /** Replays one step and compares it. */
    public StepResult run(Exchange x) {
        StepResult r;
        try {
            r = switch (x.kind()) {
                case "request" -> request(x);
                case "inject" -> inject(x);
                case "ifup" -> result(x, Status.SKIPPED, "ifup: no-op (internal ports are always up)");
                default -> result(x, Status.SKIPPED, "step kind " + x.kind() + " is not part of the protocol");
            };
        } finally {
            learnKernel(x.replies());
        }
        results.add(r);
        return r;
    }

    private StepResult result(Exchange x, Status s, String msg) {
        return new StepResult(scenario, x.step(), s, msg);
    }

    // ---- requests -------------------------------------------------------------------------------

    private StepResult request(Exchange x) {
        byte[] req = x.request();
        String subs = x.requestSubstitutions() == null ? "-" : x.requestSubstitutions();
        String kname = kernelFamilies.get(NlMsgHdr.type(req, 0));
        if (kname != null && ReplayNormalizer.CANON.containsKey(kname)) {
            Integer sid = serverIds.get(kname);
            if (sid == null) {
                return result(x, Status.FAILED, "family: the server does not provide generic netlink family " + kname);
            }
            Wire.putU16(req, 4, sid);
        }
        int mySeq = ++seq;
        Wire.putU32(req, 8, mySeq);
        Wire.putU32(req, 12, 0);
        substitute(req, subs);

        klog.clear();
        List<byte[]> datagrams = conn.request(req);
        List<String> lines = List.copyOf(klog);

        List<String> diffs = new ArrayList<>();
        evaluate(x, req, datagrams, mySeq, subs, diffs);
        if (checkKlog && !lines.equals(x.klog())) {
            diffs.add("klog: expected " + x.klog() + ", got " + lines);
        }
        return diffs.isEmpty() ? result(x, Status.PASSED, null) : result(x, Status.FAILED, String.join("\n  ", diffs));
    }

    /** A frame into a port ({@code netdev-dummy/receive}); the upcalls it causes are compared in order. */
    private StepResult inject(Exchange x) {
        klog.clear();
        String[] err = new String[1];
        List<byte[]> datagrams = conn.inject(() -> err[0] = ovs.receiveFrame(x.ifname(), x.packet()));
        if (err[0] != null) {
            return result(x, Status.FAILED, "unixctl: " + err[0]);
        }
        List<String> diffs = new ArrayList<>();
        evaluate(x, new byte[NlMsgHdr.LENGTH], datagrams, 0, "-", diffs);
        List<String> lines = List.copyOf(klog);
        if (checkKlog && !lines.equals(x.klog())) {
            diffs.add("klog: expected " + x.klog() + ", got " + lines);
        }
        return diffs.isEmpty() ? result(x, Status.PASSED, null) : result(x, Status.FAILED, String.join("\n  ", diffs));
    }

    /** {@code Runner.substitute} of parity.py. */
    private void substitute(byte[] buf, String subs) {
        if (subs.equals("-")) {
            return;
        }
        for (String tok : subs.split(",")) {
            int at = tok.lastIndexOf('@');
            String kind = tok.substring(0, at);
            int off = Integer.decode(tok.substring(at + 1));
            if (off < 0 || off + 4 > buf.length) {
                continue;
            }
            int recorded = Wire.u32(buf, off);
            int v;
            if (kind.equals("pid")) {
                v = conn.portId();
            } else if (kind.equals("dp") || kind.startsWith("dp:")) {
                String name = kind.equals("dp") ? kernelLastDp : kind.substring(3);
                if (name == null || !kernelDps.containsKey(name)) {
                    v = recorded; // the recording had nothing either
                } else {
                    Integer ours = serverDp(name);
                    v = ours != null ? ours : serverLastIfindex != null ? serverLastIfindex : recorded;
                }
            } else if (kind.startsWith("ifidx:")) {
                Vport vp = ovs.net().vport(kind.substring(6));
                v = recorded != 0 && vp != null ? vp.ifindex() : recorded;
            } else {
                continue;
            }
            Wire.putU32(buf, off, v);
        }
    }

    /** Our ifindex of datapath {@code name}: from our NEW replies, else looked up (parity.py's side GET). */
    private Integer serverDp(String name) {
        Integer v = serverDps.get(name);
        if (v == null) {
            Datapath dp = ovs.net().datapath(name);
            if (dp != null) {
                v = dp.ifindex();
                serverDps.put(name, v);
            }
        }
        return v;
    }

    /** {@code KernelState.learn} / {@code ServerState.learn}: the datapath an OVS_DP_CMD_NEW reply names. */
    private static String learnDpNew(byte[] m, Map<Integer, String> fams, Map<String, Integer> into) {
        if (m.length < 24 || !"ovs_datapath".equals(fams.get(ReplayCompare.type(m))) || m[16] != 1) {
            return null;
        }
        byte[] nm = ReplayCompare.attrs(m, true).get(1);
        int ifindex = Wire.u32(m, 20);
        String name = nm == null ? "" : new String(nm, StandardCharsets.US_ASCII).replaceAll("\0+$", "");
        if (!name.isEmpty()) {
            into.put(name, ifindex);
        }
        return name;
    }

    private void learnKernel(List<byte[]> replies) {
        for (byte[] m : replies) {
            String name = learnDpNew(m, kernelFamilies, kernelDps);
            if (name != null) {
                kernelLastDp = name.isEmpty() ? null : name;
            }
        }
    }

    // ---- comparison -----------------------------------------------------------------------------

    private void evaluate(Exchange x, byte[] req, List<byte[]> datagrams, int mySeq, String subs, List<String> diffs) {
        List<byte[]> expMsgs = x.replies();
        Integer expSeq = x.hasRequest() ? x.requestSeq() : 0;
        boolean expectUpcalls = expMsgs.stream().anyMatch(m -> isUpcall(m, kernelFamilies));

        List<ReplayCompare.Frame> act = new ArrayList<>();
        for (byte[] d : datagrams) {
            ReplayCompare.Frame f = ReplayCompare.split(d);
            if (f.problem() != null) {
                diffs.add("malformed datagram: " + f.problem());
            }
            List<byte[]> keep = new ArrayList<>();
            for (byte[] m : f.msgs()) {
                if (!expectUpcalls && isUpcall(m, serverFamilies)) {
                    diffs.add("stray: unsolicited upcall " + ReplayCompare.label(actualSide.normalize(m, "-", null)));
                    continue;
                }
                keep.add(m);
            }
            if (!keep.isEmpty() || f.problem() != null) {
                act.add(keep.size() == f.msgs().size() ? new ReplayCompare.Frame(f.len(), keep, f.problem())
                        : new ReplayCompare.Frame(keep.stream().mapToInt(m -> (m.length + 3) & ~3).sum(), keep, null));
            }
        }
        List<byte[]> actMsgs = new ArrayList<>();
        act.forEach(f -> actMsgs.addAll(f.msgs()));
        for (byte[] m : actMsgs) {
            String name = learnDpNew(m, serverFamilies, serverDps);
            if (name != null) {
                serverLastIfindex = Wire.u32(m, 20);
            }
        }
        List<byte[]> en = expMsgs.stream().map(m -> expectedSide.normalize(m, subs, expSeq)).toList();
        List<byte[]> an = actMsgs.stream().map(m -> actualSide.normalize(m, subs, mySeq)).toList();

        if ((NlMsgHdr.flags(req, 0) & NlMsgHdr.F_DUMP) == NlMsgHdr.F_DUMP) {
            boolean flow = "ovs_flow".equals(serverFamilies.get(NlMsgHdr.type(req, 0)));
            List<byte[]> eData = en.stream().filter(m -> !ReplayCompare.isFinal(m)).toList();
            List<byte[]> aData = an.stream().filter(m -> !ReplayCompare.isFinal(m)).toList();
            String d = flow ? ReplayCompare.multiset(eData, aData) : ReplayCompare.sequence(eData, aData, "dump message");
            if (d != null) {
                diffs.add(d);
            }
            String fin = ReplayCompare.sequence(en.stream().filter(ReplayCompare::isFinal).toList(),
                    an.stream().filter(ReplayCompare::isFinal).toList(), "dump end");
            if (fin != null) {
                diffs.add(fin);
            }
            boolean omit = flow && (ufidFlags(req) & 4) != 0; // OVS_UFID_F_OMIT_ACTIONS
            List<String> v = act.isEmpty() ? List.of()
                    : ReplayCompare.batching(act, omit, m -> flowWithoutActions(m, serverFamilies));
            if (!v.isEmpty()) {
                diffs.add("batching: " + String.join("; ", v));
            }
            return;
        }
        String d = ReplayCompare.sequence(en, an, "message");
        if (d != null) {
            diffs.add(d);
        } else {
            List<Integer> eg = x.datagrams().stream().map(KernelVectors.Datagram::nMsgs).toList();
            List<Integer> ag = act.stream().map(f -> f.msgs().size()).toList();
            if (!eg.equals(ag)) {
                diffs.add("grouping: messages per datagram expected " + eg + ", got " + ag);
            }
        }
    }

    /** An upcall: an ovs_packet MISS or ACTION with seq 0. */
    private static boolean isUpcall(byte[] m, Map<Integer, String> fams) {
        return m.length >= 20 && "ovs_packet".equals(fams.get(ReplayCompare.type(m)))
                && (m[16] == 1 || m[16] == 2) && Wire.u32(m, 8) == 0;
    }

    private static boolean flowWithoutActions(byte[] m, Map<Integer, String> fams) {
        return m.length >= 24 && "ovs_flow".equals(fams.get(ReplayCompare.type(m)))
                && !ReplayCompare.attrs(m, true).containsKey(2);
    }

    /** OVS_FLOW_ATTR_UFID_FLAGS of a flow request, 0 if absent. */
    private static int ufidFlags(byte[] req) {
        byte[] p = ReplayCompare.attrs(req, true).get(10);
        return p != null && p.length >= 4 ? Wire.u32(p, 0) : 0;
    }
}
