package ovsj.odp.unixctl;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OVS's unixctl client ({@code unixctl_client_create} and {@code unixctl_client_transact} of
 * {@code lib/unixctl.c}): what {@code ovs-appctl} does on the socket of a {@link UnixctlServer}. A request
 * is a JSON-RPC 1.0 object {@code {"id":N,"method":"COMMAND","params":["ARG",...]}} with ids counting
 * from 0, as {@code jsonrpc_create_request} numbers them; the reply with the same id (others are
 * skipped, as {@code jsonrpc_transact_block} does) carries a string {@code "result"} or a string
 * {@code "error"}.
 *
 * <p>Failures are {@link IOException}s whose message is the {@code strerror} text OVS would print after
 * them: the connect's ("No such file or directory", "Connection refused"), "End of file" when the server
 * hangs up before replying, "Connection timed out" when {@link #timeoutMs} passes, "Invalid argument"
 * for a reply that is not one (OVS's {@code EINVAL}, with the reason logged).
 *
 * <p>Not thread-safe: one request at a time.
 */
public final class UnixctlClient implements AutoCloseable {
    /** A message bigger than this is refused (a reply as big as the server's own request limit, 16 times). */
    public static final int MAX_REPLY_BYTES = 16 * UnixctlServer.MAX_MESSAGE_BYTES;

    /** A command's answer: exactly one of the two is non-null. */
    public record Reply(String result, String error) {
        /** Whether the server answered with an error ({@code ovs-appctl} exits 2). */
        public boolean isError() {
            return error != null;
        }
    }

    /** A reply that is not one: OVS logs the reason and fails the transaction with {@code EINVAL}. */
    public static final class BadReplyException extends IOException {
        private final String reason;

        BadReplyException(String reason) {
            super("Invalid argument");
            this.reason = reason;
        }

        /** Why the reply was refused (OVS's log line). */
        public String reason() {
            return reason;
        }
    }

    private final Path path;
    private final SocketChannel ch;
    private long nextId;
    private long timeoutMs;
    private volatile boolean timedOut;
    private byte[] in = new byte[8192];
    private int len;
    /** The reply scanner's state: bytes of {@link #in} scanned, brackets open, inside a string, after a backslash. */
    private int scanned;
    private int open;
    private boolean quoted;
    private boolean escape;

    private UnixctlClient(Path path, SocketChannel ch) {
        this.path = path;
        this.ch = ch;
    }

    /**
     * Connects to the unixctl socket {@code path}. Throws an {@link IOException} whose message is the
     * reason only (the caller says which socket, as {@code ovs-appctl}'s "cannot connect to ...").
     */
    public static UnixctlClient connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            String m = e.getMessage();
            throw new IOException(m != null && !m.isEmpty() ? m : e.getClass().getSimpleName(), e);
        }
        return new UnixctlClient(path, ch);
    }

    public Path path() {
        return path;
    }

    /**
     * How long {@link #transact} waits for the reply, ms; 0 (the default) waits for ever. When it passes,
     * the connection is closed (as {@code ovs-appctl --timeout} ends the process).
     */
    public UnixctlClient timeoutMs(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("timeout " + ms);
        }
        this.timeoutMs = ms;
        return this;
    }

    /** Runs {@code command} with {@code args}; the server's result or error text, as sent. */
    public Reply transact(String command, List<String> args) throws IOException {
        long id = nextId++;
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("id", id);
        req.put("method", command);
        req.put("params", new ArrayList<Object>(args));
        Thread timer = timeoutMs > 0 ? Thread.ofVirtual().start(this::closeAfterTimeout) : null;
        try {
            ByteBuffer out = ByteBuffer.wrap(Json.write(req).getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            for (;;) {
                Object msg = receive();
                if (msg instanceof Map<?, ?> m && Long.valueOf(id).equals(m.get("id"))
                        && (m.containsKey("result") || m.containsKey("error"))) {
                    return reply(m);
                }
            }
        } catch (AsynchronousCloseException e) {
            if (timer != null && timedOut) {
                throw new IOException("Connection timed out", e);
            }
            throw e;
        } finally {
            if (timer != null) {
                timer.interrupt();
            }
        }
    }

    private void closeAfterTimeout() {
        try {
            Thread.sleep(timeoutMs);
        } catch (InterruptedException e) {
            return;
        }
        timedOut = true;
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** {@code unixctl_client_transact}'s reading of a reply. */
    private static Reply reply(Map<?, ?> m) throws BadReplyException {
        Object error = m.get("error");
        if (error != null && error != Json.NULL) {
            if (error instanceof String s) {
                return new Reply(null, s);
            }
            throw new BadReplyException("unexpected error type in JSON RPC reply: " + type(error));
        }
        Object result = m.get("result");
        if (result instanceof String s) {
            return new Reply(s, null);
        }
        throw new BadReplyException("unexpected result type in JSON RPC reply: " + type(result));
    }

    /** {@code json_type_to_string}. */
    private static String type(Object v) {
        if (v == null || v == Json.NULL) {
            return "null";
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Map) {
            return "object";
        }
        if (v instanceof List) {
            return "array";
        }
        if (v instanceof Long) {
            return "integer";
        }
        if (v instanceof Double) {
            return "real";
        }
        return "string";
    }

    /**
     * The next JSON message: bytes are read until they hold a whole top-level object (found by
     * counting brackets outside strings), which is cut off and parsed; what follows stays for the next
     * call.
     */
    private Object receive() throws IOException {
        for (;;) {
            int end = wholeObject();
            if (end > 0) {
                try {
                    return Json.parse(in, 0, end);
                } catch (Json.ParseException e) {
                    throw new BadReplyException("error parsing stream: " + e.getMessage());
                } finally {
                    System.arraycopy(in, end, in, 0, len - end);
                    len -= end;
                }
            }
            if (len == in.length) {
                if (in.length >= MAX_REPLY_BYTES) {
                    throw new BadReplyException("reply longer than " + MAX_REPLY_BYTES + " bytes");
                }
                in = Arrays.copyOf(in, Math.min(in.length * 2, MAX_REPLY_BYTES));
            }
            int n = ch.read(ByteBuffer.wrap(in, len, in.length - len));
            if (n < 0) {
                throw new EOFException("End of file");
            }
            len += n;
        }
    }

    /**
     * Where the buffer's first top-level JSON object ends (exclusive), or -1 if it is not all here;
     * resumes where the last call stopped, so a long reply is scanned once.
     */
    private int wholeObject() throws BadReplyException {
        for (; scanned < len; scanned++) {
            byte c = in[scanned];
            if (escape) {
                escape = false;
            } else if (quoted) {
                escape = c == '\\';
                quoted = c != '"';
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[') {
                open++;
            } else if ((c == '}' || c == ']') && open > 0) {
                if (--open == 0) {
                    int end = ++scanned;
                    scanned = 0;
                    return end;
                }
            } else if (open == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw new BadReplyException("received bad JSON-RPC message: message is not a JSON object");
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
