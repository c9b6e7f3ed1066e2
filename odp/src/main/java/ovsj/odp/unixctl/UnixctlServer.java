package ovsj.odp.unixctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OVS's unixctl server ({@code lib/unixctl.c} over {@code lib/jsonrpc.c}): JSON-RPC 1.0 on a UNIX
 * stream socket, one JSON object per message with nothing between messages but optional whitespace.
 * This is what {@code ovs-appctl -t PATH COMMAND ARGS…} talks to.
 *
 * <p>A request {@code {"id":0,"method":"version","params":[]}} gets
 * {@code {"id":0,"result":"TEXT\n","error":null}} or, on failure, {@code {"id":0,"error":"TEXT\n"}}
 * (OVS 3.1 sends no {@code "result"} member in an error reply: {@code jsonrpc_create_error} builds a
 * reply-typed message with a null result, which {@code jsonrpc_msg_to_json} omits). The members come
 * in OVS's order, {@code id} first. A non-empty body gets a trailing newline if it lacks one, as in
 * {@code unixctl_command_reply__}. Anything that is not a well-formed request (bad JSON, not an object,
 * unknown member, a notification, a reply) closes the connection with a warning, as OVS does.
 *
 * <p>Each connection is served by its own virtual thread, one request at a time and in order; command
 * handlers run one at a time across the whole server, like OVS's single main loop, so a handler need
 * not be thread-safe against other handlers.
 */
public final class UnixctlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UnixctlServer.class);

    /** Refuse a message bigger than this (OVS has no limit; we do not want an unbounded buffer). */
    public static final int MAX_MESSAGE_BYTES = 1 << 20;

    /** How long {@link #close()} lets a request in progress finish its reply. */
    private static final long CLOSE_GRACE_MS = 2000;

    /** A command: gets the arguments (without the command name) and returns the reply text. */
    @FunctionalInterface
    public interface Handler {
        /** Returns the result text (null means ""); throws {@link CommandException} for an error reply. */
        String handle(String[] args) throws CommandException;
    }

    /** A command's error reply ({@code unixctl_command_reply_error}). */
    public static final class CommandException extends Exception {
        public CommandException(String message) {
            super(message);
        }
    }

    private record Command(String usage, int minArgs, int maxArgs, Handler handler) {
    }

    private final Path path;
    private final String version;
    private final ServerSocketChannel server;
    private final Map<String, Command> commands = new TreeMap<>(); // sorted, like shash_sort
    private final ReentrantLock commandLock = new ReentrantLock();
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connSeq = new AtomicInteger();
    private Thread acceptor;
    private volatile boolean closed;

    /**
     * Binds {@code path} (mode 0600; see {@link UnixSockets#bindExclusive}), so that a second instance
     * fails here, and registers the built-in commands {@code list-commands} and {@code version}
     * ({@code "ovsj (ovsj) VERSION"}, the shape of OVS's {@code "ovs-vswitchd (Open vSwitch) 3.1.0"}).
     * Register the other commands, then {@link #start()}: clients that connect before that wait in
     * the listen backlog instead of finding commands missing.
     */
    public UnixctlServer(Path path, String version) throws IOException {
        this.path = path.toAbsolutePath();
        this.version = version;
        register("list-commands", "", 0, 0, args -> listCommands());
        register("version", "", 0, 0, args -> "ovsj (ovsj) " + this.version);
        this.server = UnixSockets.bindExclusive(this.path, "ovsj process");
    }

    /** Starts answering (once; later calls do nothing). */
    public synchronized UnixctlServer start() {
        if (acceptor == null && !closed) {
            acceptor = Thread.ofVirtual().name("unixctl-accept").start(this::acceptLoop);
        }
        return this;
    }

    public Path path() {
        return path;
    }

    /**
     * Registers a command ({@code unixctl_command_register}). {@code usage} is shown by
     * {@code list-commands}; {@code maxArgs} may be {@link Integer#MAX_VALUE}.
     */
    public void register(String name, String usage, int minArgs, int maxArgs, Handler handler) {
        if (minArgs < 0 || maxArgs < minArgs) {
            throw new IllegalArgumentException("bad argument counts " + minArgs + ".." + maxArgs);
        }
        commandLock.lock();
        try {
            if (commands.containsKey(name)) {
                throw new IllegalStateException("unixctl command " + name + " is already registered");
            }
            commands.put(name, new Command(usage, minArgs, maxArgs, handler));
        } finally {
            commandLock.unlock();
        }
    }

    private String listCommands() {
        StringBuilder b = new StringBuilder("The available commands are:\n");
        for (Map.Entry<String, Command> e : commands.entrySet()) {
            b.append(String.format("  %-23s %s\n", e.getKey(), e.getValue().usage()));
        }
        return b.toString();
    }

    /** Stops accepting, lets requests in progress send their replies, closes, removes the socket. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Thread a;
        synchronized (this) {
            closed = true;
            a = acceptor;
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("unixctl {}: closing the listener: {}", path, e.toString());
        }
        if (a != null) {
            a.interrupt();
        }
        for (Conn c : conns) {
            c.shutdown();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("unixctl {}: cannot remove the socket: {}", path, e.toString());
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.warn("unixctl {}: accept failed: {}", path, e.toString());
                sleepQuietly(100); // e.g. out of file descriptors: do not spin
                continue;
            }
            Conn c = new Conn(ch, "unix#" + connSeq.getAndIncrement());
            conns.add(c);
            if (closed) { // raced with close(): it may not have seen this one
                c.shutdown();
            }
            Thread.ofVirtual().name("unixctl-" + c.name).start(c::run);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client connection ({@code struct unixctl_conn}). */
    private final class Conn {
        final SocketChannel ch;
        final String name;
        /** Held while a request is processed and answered, so that close() can let it finish. */
        final ReentrantLock busy = new ReentrantLock();
        byte[] in = new byte[4096];
        int len;
        /** Scanner state for finding where the current message ends (see {@link #messageEnd}). */
        int scan;
        int depth;
        boolean started;
        boolean inString;
        boolean escaped;

        Conn(SocketChannel ch, String name) {
            this.ch = ch;
            this.name = name;
        }

        void run() {
            try {
                while (!closed) {
                    int end = messageEnd();
                    if (end < 0) {
                        if (!fill()) {
                            return;
                        }
                        continue;
                    }
                    byte[] msg = Arrays.copyOfRange(in, 0, end);
                    System.arraycopy(in, end, in, 0, len - end);
                    len -= end;
                    scan = 0;
                    started = false;
                    busy.lock();
                    try {
                        if (closed || !handle(msg)) {
                            return;
                        }
                    } finally {
                        busy.unlock();
                    }
                }
            } catch (ProtocolError e) {
                log.warn("{}: {}", name, e.getMessage());
            } catch (ClosedChannelException e) {
                // close() or the peer: nothing to say
            } catch (IOException e) {
                log.warn("{}: receive error: {}", name, e.toString());
            } finally {
                closeChannel();
            }
        }

        /** Reads more input; false on a clean end of input between messages. */
        private boolean fill() throws IOException, ProtocolError {
            if (len == in.length) {
                if (in.length >= MAX_MESSAGE_BYTES) {
                    throw new ProtocolError("message longer than " + MAX_MESSAGE_BYTES + " bytes");
                }
                in = Arrays.copyOf(in, Math.min(in.length * 2, MAX_MESSAGE_BYTES));
            }
            int n = ch.read(ByteBuffer.wrap(in, len, in.length - len));
            if (n < 0) {
                if (started) {
                    log.warn("{}: connection closed in the middle of a message", name);
                }
                return false;
            }
            len += n;
            return true;
        }

        /**
         * The end (exclusive) of the first complete JSON object in the buffer, or -1 if it is not all
         * here yet. Whitespace before it is skipped; anything else that does not start an object ends
         * the connection (OVS would close after parsing it anyway: a message must be an object).
         */
        private int messageEnd() throws ProtocolError {
            for (; scan < len; scan++) {
                byte c = in[scan];
                if (!started) {
                    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                        continue;
                    }
                    if (c != '{') {
                        throw new ProtocolError("received bad JSON-RPC message: message is not a JSON object");
                    }
                    started = true;
                    depth = 0;
                    inString = false;
                    escaped = false;
                }
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    if (--depth == 0) {
                        return ++scan;
                    }
                }
            }
            return -1;
        }

        /** Processes one message; false if the connection must close (a warning was logged). */
        private boolean handle(byte[] msg) throws IOException {
            Object json;
            try {
                json = Json.parse(msg, 0, msg.length);
            } catch (Json.ParseException e) {
                log.warn("{}: error parsing stream: {}", name, e.getMessage());
                return false;
            }
            Request req;
            try {
                req = Request.from(json);
            } catch (ProtocolError e) {
                log.warn("{}: {}", name, e.getMessage());
                return false;
            }
            String[] reply = process(req);
            send(reply[0] != null, reply[0] != null ? reply[0] : reply[1], req.id);
            return true;
        }

        private void send(boolean success, String body, Object id) throws IOException {
            if (!body.isEmpty() && !body.endsWith("\n")) {
                body = body + "\n";
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            if (success) {
                m.put("result", body);
                m.put("error", Json.NULL);
            } else {
                m.put("error", body);
            }
            ByteBuffer out = ByteBuffer.wrap(Json.write(m).getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
        }

        /** Lets a request in progress finish (briefly), then closes the connection. */
        void shutdown() {
            boolean locked = false;
            try {
                locked = busy.tryLock(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                closeChannel();
            } finally {
                if (locked) {
                    busy.unlock();
                }
            }
        }

        private void closeChannel() {
            conns.remove(this);
            try {
                ch.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** {@code process_command}: returns {result, null} or {null, error}. */
    private String[] process(Request req) {
        Command cmd;
        commandLock.lock();
        try {
            cmd = commands.get(req.method);
            String error = null;
            if (cmd == null) {
                error = "\"" + req.method + "\" is not a valid command (use \"list-commands\" to see a list of"
                        + " valid commands)";
            } else if (req.params.size() < cmd.minArgs) {
                error = "\"" + req.method + "\" command requires at least " + cmd.minArgs + " arguments";
            } else if (req.params.size() > cmd.maxArgs) {
                error = "\"" + req.method + "\" command takes at most " + cmd.maxArgs + " arguments";
            }
            String[] args = new String[req.params.size()];
            for (int i = 0; error == null && i < args.length; i++) {
                if (req.params.get(i) instanceof String s) {
                    args[i] = s;
                } else {
                    error = "\"" + req.method + "\" command has non-string argument";
                }
            }
            if (error != null) {
                return new String[] {null, error};
            }
            try {
                String result = cmd.handler.handle(args);
                return new String[] {result == null ? "" : result, null};
            } catch (CommandException e) {
                return new String[] {null, String.valueOf(e.getMessage())};
            } catch (RuntimeException e) {
                log.warn("unixctl command {} failed", req.method, e);
                String m = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
                return new String[] {null, "\"" + req.method + "\" failed: " + m};
            }
        } finally {
            commandLock.unlock();
        }
    }

    /** A message that ends the connection. */
    private static final class ProtocolError extends Exception {
        ProtocolError(String message) {
            super(message);
        }
    }

    /** A JSON-RPC request, checked as {@code jsonrpc_msg_from_json} and {@code run_connection} do. */
    private record Request(String method, List<Object> params, Object id) {
        static Request from(Object json) throws ProtocolError {
            if (!(json instanceof Map<?, ?> raw)) {
                throw bad("message is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> obj = new LinkedHashMap<>((Map<String, Object>) raw);
            Object method = obj.remove("method");
            if (method != null && !(method instanceof String)) {
                throw bad("method is not a JSON string");
            }
            Object params = nullToAbsent(obj.remove("params"));
            Object result = nullToAbsent(obj.remove("result"));
            Object error = nullToAbsent(obj.remove("error"));
            Object id = nullToAbsent(obj.remove("id"));
            String type = result != null ? "reply" : error != null ? "error" : id != null ? "request"
                    : "notification";
            if (!obj.isEmpty()) {
                throw bad("message has unexpected member \"" + obj.keySet().iterator().next() + "\"");
            }
            if (params != null && !(params instanceof List)) {
                throw bad("\"params\" must be JSON array");
            }
            // The member patterns of jsonrpc_msg_is_valid, in its order.
            boolean request = type.equals("request");
            check(type, "method", method != null, request || type.equals("notification"));
            check(type, "params", params != null, request || type.equals("notification"));
            check(type, "result", result != null, type.equals("reply"));
            check(type, "error", error != null, type.equals("error"));
            check(type, "id", id != null, !type.equals("notification"));
            if (!request) {
                throw new ProtocolError("received unexpected " + type + " message");
            }
            @SuppressWarnings("unchecked")
            List<Object> p = (List<Object>) params;
            return new Request((String) method, new ArrayList<>(p), id);
        }

        private static Object nullToAbsent(Object v) {
            return v == Json.NULL ? null : v;
        }

        private static void check(String type, String member, boolean has, boolean must) throws ProtocolError {
            if (has != must) {
                throw bad(type + " must" + (must ? "" : " not") + " have \"" + member + "\"");
            }
        }

        private static ProtocolError bad(String why) {
            return new ProtocolError("received bad JSON-RPC message: " + why);
        }
    }
}
