package ovsj.netlink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;

/**
 * The golden vectors recorded from the Linux 6.1 openvswitch module ({@code vectors/kernel/} at the
 * repository root; format in its README), as immutable records.
 *
 * <pre>{@code
 * for (Exchange x : KernelVectors.load("flow_keys")) {
 *     byte[] reply = x.replyOfType(KernelVectors.familyId("ovs_flow"));
 *     ...
 * }
 * }</pre>
 *
 * The folder is taken from the system property {@code ovsj.vectors} (surefire sets it to
 * {@code <repository>/vectors}); without it, the first {@code vectors/} found walking up from the
 * working directory (for IDE runs). Files are parsed once and cached.
 */
public final class KernelVectors {
    /** The system property naming the {@code vectors} folder. */
    public static final String PROPERTY = "ovsj.vectors";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<Exchange>> CACHE = new ConcurrentHashMap<>();
    private static volatile JsonNode runInfo;

    private KernelVectors() {
    }

    /** One {@code recvmsg()} datagram of the replies: its length, how many messages, whether truncated. */
    public record Datagram(int len, int nMsgs, boolean trunc) {
    }

    /**
     * The recorded extended ack: {@code msg} and {@code offs} (null when absent) and the raw payload of
     * the {@code NLMSGERR_ATTR_POLICY} nest (null when absent).
     */
    public record ExtAckRec(String msg, Integer offs, byte[] policy) {
        public ExtAckRec {
            policy = policy == null ? null : policy.clone();
        }

        @Override
        public byte[] policy() {
            return policy == null ? null : policy.clone();
        }
    }

    /**
     * One step of a scenario: the request sent (null for steps without one, such as {@code ifup}) and
     * every netlink message received, in order. Arrays are copied in and out.
     *
     * @param kind        {@code request}, {@code inject} or {@code ifup}
     * @param family      generic-netlink family name of the request ({@code ovs_flow}, {@code nlctrl}, ...)
     * @param error       errno of the final {@code NLMSG_ERROR} (0 = ACK), null if none
     * @param doneError   the int in {@code NLMSG_DONE}, for dumps; else null
     * @param requestSubstitutions offsets of run-time values patched into the request ({@code dp@20,pid@36})
     * @param packet      the frame sent with AF_PACKET ({@code inject} steps), else null
     * @param ifname      the interface of an {@code inject} step, else null
     * @param info        free-form notes of the replayer ({@code ifup} steps)
     */
    public record Exchange(String scenario, String step, String description, String kind, String family,
                           byte[] request, List<byte[]> replies, List<Datagram> datagrams, Integer error,
                           String errorName, ExtAckRec extAck, Integer doneError, List<String> klog,
                           String requestSubstitutions, byte[] packet, String ifname, List<String> info) {
        public Exchange {
            request = request == null ? null : request.clone();
            packet = packet == null ? null : packet.clone();
            replies = copiedBytes(replies);
            datagrams = List.copyOf(datagrams);
            klog = List.copyOf(klog);
            info = List.copyOf(info);
        }

        @Override
        public byte[] request() {
            return request == null ? null : request.clone();
        }

        @Override
        public byte[] packet() {
            return packet == null ? null : packet.clone();
        }

        public boolean hasRequest() {
            return request != null;
        }

        /** The request's {@code nlmsg_type} (the family id of this recording). */
        public int requestType() {
            return NlMsgHdr.type(request, 0);
        }

        public int requestFlags() {
            return NlMsgHdr.flags(request, 0);
        }

        public int requestSeq() {
            return NlMsgHdr.seq(request, 0);
        }

        /** The request's genl command (the byte after the nlmsghdr). */
        public int requestCmd() {
            return Wire.u8(request, NlMsgHdr.LENGTH);
        }

        public boolean isDump() {
            return (requestFlags() & NlMsgHdr.F_DUMP) == NlMsgHdr.F_DUMP;
        }

        /** All replies whose {@code nlmsg_type} is {@code nlmsgType}, in order. */
        public List<byte[]> repliesOfType(int nlmsgType) {
            List<byte[]> out = new ArrayList<>();
            for (byte[] r : replies) {
                if (NlMsgHdr.type(r, 0) == nlmsgType) {
                    out.add(r);
                }
            }
            return Collections.unmodifiableList(out);
        }

        /** The first reply whose {@code nlmsg_type} is {@code nlmsgType}, or null. */
        public byte[] replyOfType(int nlmsgType) {
            for (byte[] r : replies) {
                if (NlMsgHdr.type(r, 0) == nlmsgType) {
                    return r;
                }
            }
            return null;
        }

        /** The {@code NLMSG_ERROR} reply (error or ACK), or null. */
        public byte[] errorReply() {
            return replyOfType(NlMsgHdr.NLMSG_ERROR);
        }

        /** The {@code NLMSG_DONE} reply, or null. */
        public byte[] doneReply() {
            return replyOfType(NlMsgHdr.NLMSG_DONE);
        }

        /** {@code scenario/step}, so that parameterized tests get readable names. */
        @Override
        public String toString() {
            return scenario + "/" + step;
        }
    }

    /** The {@code vectors/} folder. */
    public static Path root() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank() && !p.contains("${")) {
            Path dir = Path.of(p);
            if (Files.isDirectory(dir.resolve("kernel"))) {
                return dir;
            }
            throw new IllegalStateException(PROPERTY + "=" + p + " has no kernel/ folder");
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("vectors/kernel/run-info.json"))) {
                return d.resolve("vectors");
            }
        }
        throw new IllegalStateException("no vectors/kernel/ folder: set -D" + PROPERTY + "=<repository>/vectors");
    }

    /** {@code vectors/kernel/}. */
    public static Path kernelDir() {
        return root().resolve("kernel");
    }

    /** {@code run-info.json} as a tree. */
    public static JsonNode runInfo() {
        JsonNode r = runInfo;
        if (r == null) {
            try {
                r = JSON.readTree(kernelDir().resolve("run-info.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            runInfo = r;
        }
        return r;
    }

    /** Scenario names, in recording order ({@code ctrl}, {@code dp}, {@code vport}, ...). */
    public static List<String> scenarios() {
        List<String> out = new ArrayList<>();
        runInfo().path("scenarios").fieldNames().forEachRemaining(out::add);
        return List.copyOf(out);
    }

    /** Generic-netlink family name → id in this recording ({@code ovs_flow} → 34). */
    public static Map<String, Integer> familyIds() {
        Map<String, Integer> out = new LinkedHashMap<>();
        runInfo().path("genl_family_ids").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().intValue()));
        return Collections.unmodifiableMap(out);
    }

    public static int familyId(String name) {
        Integer id = familyIds().get(name);
        if (id == null) {
            throw new IllegalArgumentException("no family " + name + " in run-info.json");
        }
        return id;
    }

    /** Datapath name → {@code dp_ifindex} in this recording ({@code dp0} → 2). */
    public static Map<String, Integer> datapathIfindexes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode d : runInfo().path("datapaths_created")) {
            out.put(d.path("name").asText(), d.path("dp_ifindex").intValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The replay socket's netlink portid (100): {@code nlmsg_pid} of every reply. */
    public static int portId() {
        return runInfo().path("replay_socket_portid").intValue();
    }

    /** Every exchange of {@code vectors/kernel/<scenario>.jsonl}, in file order. */
    public static List<Exchange> load(String scenario) {
        return CACHE.computeIfAbsent(scenario, KernelVectors::read);
    }

    /** Every exchange of every scenario, in recording order. */
    public static List<Exchange> loadAll() {
        List<Exchange> out = new ArrayList<>();
        for (String s : scenarios()) {
            out.addAll(load(s));
        }
        return Collections.unmodifiableList(out);
    }

    /** The exchange of {@code scenario} whose step is {@code step} or starts with {@code step + "-"} ("045"). */
    public static Exchange step(String scenario, String step) {
        for (Exchange x : load(scenario)) {
            if (x.step().equals(step) || x.step().startsWith(step + "-")) {
                return x;
            }
        }
        throw new IllegalArgumentException("no step " + step + " in " + scenario);
    }

    private static List<Exchange> read(String scenario) {
        Path file = kernelDir().resolve(scenario + ".jsonl");
        List<Exchange> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(parse(JSON.readTree(line)));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(file + ":" + n + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }

    static Exchange parse(JsonNode o) {
        List<byte[]> replies = new ArrayList<>();
        for (JsonNode r : o.path("replies_hex")) {
            replies.add(Wire.unhex(r.asText()));
        }
        List<Datagram> datagrams = new ArrayList<>();
        for (JsonNode d : o.path("datagrams")) {
            datagrams.add(new Datagram(d.path("len").intValue(), d.path("n_msgs").intValue(),
                    d.path("trunc").booleanValue()));
        }
        ExtAckRec extAck = null;
        JsonNode ea = o.get("ext_ack");
        if (ea != null && !ea.isNull()) {
            extAck = new ExtAckRec(text(ea, "msg"), integer(ea, "offs"), hex(ea, "policy"));
        }
        return new Exchange(text(o, "scenario"), text(o, "step"), text(o, "description"), text(o, "kind"),
                text(o, "family"), hex(o, "request_hex"), replies, datagrams, integer(o, "error"),
                text(o, "error_name"), extAck, integer(o, "done_error"), strings(o, "klog"),
                text(o, "request_substitutions"), hex(o, "packet_hex"), text(o, "ifname"), strings(o, "info"));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.intValue();
    }

    private static byte[] hex(JsonNode o, String field) {
        String s = text(o, field);
        return s == null ? null : Wire.unhex(s);
    }

    private static List<String> strings(JsonNode o, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : o.path(field)) {
            out.add(v.asText());
        }
        return out;
    }

    /** An unmodifiable list of copies of {@code src}'s arrays, handing out a fresh copy on every get. */
    private static List<byte[]> copiedBytes(List<byte[]> src) {
        byte[][] a = new byte[src.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = src.get(i).clone();
        }
        return new AbstractList<>() {
            @Override
            public byte[] get(int i) {
                return a[i].clone();
            }

            @Override
            public int size() {
                return a.length;
            }
        };
    }
}
