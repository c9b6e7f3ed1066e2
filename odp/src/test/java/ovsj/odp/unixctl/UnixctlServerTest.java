package ovsj.odp.unixctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UnixctlServerTest {
    @TempDir
    Path dir;

    Path sock;
    UnixctlServer server;

    /** The exact bytes ovs-appctl 3.1.0 sends for {@code ovs-appctl -t PATH list-commands}. */
    static final String APPCTL_LIST_COMMANDS = "{\"id\":0,\"method\":\"list-commands\",\"params\":[]}";

    @BeforeEach
    void start() throws IOException {
        sock = dir.resolve("ctl.sock");
        server = new UnixctlServer(sock, "1.2.3");
        server.register("echo", "[ARG...]", 0, Integer.MAX_VALUE, args -> String.join(" ", args));
        server.register("pair", "A B", 2, 2, args -> args[0] + "+" + args[1] + "\n");
        server.register("fail", "", 0, 0, args -> {
            throw new UnixctlServer.CommandException("it failed");
        });
        server.register("empty", "", 0, 0, args -> null);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ the bytes ovs-appctl exchanges

    @Test
    void listCommandsIsOvsFormatByteForByte() throws IOException {
        String expected = "{\"id\":0,\"result\":\"The available commands are:\\n"
                + "  echo                    [ARG...]\\n"
                + "  empty                   \\n"
                + "  fail                    \\n"
                + "  list-commands           \\n"
                + "  pair                    A B\\n"
                + "  version                 \\n"
                + "\",\"error\":null}";
        assertThat(exchange(APPCTL_LIST_COMMANDS)).isEqualTo(expected);
    }

    @Test
    void versionGetsANewline() throws IOException {
        assertThat(exchange("{\"id\":0,\"method\":\"version\",\"params\":[]}"))
                .isEqualTo("{\"id\":0,\"result\":\"ovsj (ovsj) 1.2.3\\n\",\"error\":null}");
    }

    @Test
    void errorRepliesHaveNoResultMemberLikeOvs31() throws IOException {
        // ovsdb-server 3.1.0 answered exactly this to an unknown method.
        assertThat(exchange("{\"id\":0,\"method\":\"nosuch\",\"params\":[]}"))
                .isEqualTo("{\"id\":0,\"error\":\"\\\"nosuch\\\" is not a valid command (use \\\"list-commands\\\""
                        + " to see a list of valid commands)\\n\"}");
    }

    @Test
    void argumentCountsAndTypesInOvsWords() throws IOException {
        assertThat(exchange("{\"id\":1,\"method\":\"pair\",\"params\":[\"a\"]}"))
                .isEqualTo("{\"id\":1,\"error\":\"\\\"pair\\\" command requires at least 2 arguments\\n\"}");
        assertThat(exchange("{\"id\":2,\"method\":\"version\",\"params\":[\"a\",\"b\",\"c\"]}"))
                .isEqualTo("{\"id\":2,\"error\":\"\\\"version\\\" command takes at most 0 arguments\\n\"}");
        assertThat(exchange("{\"id\":3,\"method\":\"pair\",\"params\":[\"a\",1]}"))
                .isEqualTo("{\"id\":3,\"error\":\"\\\"pair\\\" command has non-string argument\\n\"}");
    }

    @Test
    void argumentsArriveUnescapedAndRepliesAreEscaped() throws IOException {
        // The bytes ovs-appctl sent for: ovs-appctl -t S pair 'a"b\c' é
        assertThat(exchange("{\"id\":0,\"method\":\"pair\",\"params\":[\"a\\\"b\\\\c\",\"\u00e9\"]}"))
                .isEqualTo("{\"id\":0,\"result\":\"a\\\"b\\\\c+\u00e9\\n\",\"error\":null}");
    }

    @Test
    void handlerErrorsAndEmptyResults() throws IOException {
        assertThat(exchange("{\"id\":0,\"method\":\"fail\",\"params\":[]}"))
                .isEqualTo("{\"id\":0,\"error\":\"it failed\\n\"}");
        assertThat(exchange("{\"id\":0,\"method\":\"empty\",\"params\":[]}"))
                .isEqualTo("{\"id\":0,\"result\":\"\",\"error\":null}");
    }

    @Test
    void anyIdIsEchoed() throws IOException {
        assertThat(exchange("{\"id\":\"x\\u0001y/\u00e9\",\"method\":\"empty\",\"params\":[]}"))
                .isEqualTo("{\"id\":\"x\\u0001y/\u00e9\",\"result\":\"\",\"error\":null}");
        assertThat(exchange("{\"id\":[1,{\"a\":2.5}],\"method\":\"empty\",\"params\":[]}"))
                .isEqualTo("{\"id\":[1,{\"a\":2.5}],\"result\":\"\",\"error\":null}");
        // parity.py's json.dumps spacing, and a result member that is null (i.e. absent)
        assertThat(exchange(" { \"id\" : 7 , \"method\" : \"empty\" , \"params\" : [ ] , \"result\" : null } "))
                .isEqualTo("{\"id\":7,\"result\":\"\",\"error\":null}");
    }

    @Test
    void pipelinedAndSplitRequestsAreAnsweredInOrder() throws Exception {
        try (SocketChannel c = connect()) {
            write(c, "{\"id\":1,\"method\":\"echo\",\"params\":[\"a\"]}{\"id\":2,\"meth");
            Thread.sleep(50);
            write(c, "od\":\"echo\",\"params\":[\"}{\"]}\n");
            String expected = "{\"id\":1,\"result\":\"a\\n\",\"error\":null}"
                    + "{\"id\":2,\"result\":\"}{\\n\",\"error\":null}";
            assertThat(readExactly(c, expected.getBytes(UTF_8).length)).isEqualTo(expected);
        }
    }

    @Test
    void malformedMessagesCloseOnlyThatConnection() throws Exception {
        String[] bad = {
            "garbage",
            "[1]",
            "{\"id\":0,\"method\":\"version\"}", // request must have "params"
            "{\"method\":\"version\",\"params\":[]}", // a notification
            "{\"id\":0,\"method\":\"version\",\"params\":[],\"x\":1}",
            "{\"id\":0,\"method\":\"version\",\"params\":[],\"error\":\"x\"}",
            "{\"id\":0,\"method\":\"version\",\"params\":{}}",
            "{\"id\":0,\"method\":null,\"params\":[]}",
            "{\"id\":01,\"method\":\"version\",\"params\":[]}",
            "{\"id\":0,\"method\":\"version\",\"params\":[\"\\u0000\"]}",
        };
        try (SocketChannel other = connect()) {
            for (String b : bad) {
                try (SocketChannel c = connect()) {
                    write(c, b);
                    assertThat(readToEof(c)).as(b).isEmpty();
                }
            }
            write(other, "{\"id\":9,\"method\":\"empty\",\"params\":[]}");
            String ok = "{\"id\":9,\"result\":\"\",\"error\":null}";
            assertThat(readExactly(other, ok.length())).isEqualTo(ok);
        }
    }

    // ------------------------------------------------------------------ the socket file

    @Test
    void socketIsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
    }

    @Test
    void aSecondServerOnTheSamePathIsRefused() {
        assertThatThrownBy(() -> new UnixctlServer(sock, "x"))
                .isInstanceOf(IOException.class)
                .hasMessage("another ovsj process is already serving " + sock.toAbsolutePath());
        assertThat(exchange("{\"id\":0,\"method\":\"empty\",\"params\":[]}")).contains("\"result\"");
    }

    @Test
    void aStaleSocketIsReplacedAndCloseRemovesIt() throws IOException {
        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(stale));
        dead.close(); // the file stays, nobody listens
        assertThat(stale).exists();
        UnixctlServer s2 = new UnixctlServer(stale, "2").start();
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(stale))) {
            write(c, "{\"id\":0,\"method\":\"version\",\"params\":[]}");
            String ok = "{\"id\":0,\"result\":\"ovsj (ovsj) 2\\n\",\"error\":null}";
            assertThat(readExactly(c, ok.length())).isEqualTo(ok);
        } finally {
            s2.close();
        }
        assertThat(stale).doesNotExist();
    }

    @Test
    void aRegularFileIsNeverReplaced() throws IOException {
        Path file = dir.resolve("file");
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> new UnixctlServer(file, "x")).hasMessageContaining("is not a socket");
        assertThat(file).hasContent("keep me");
    }

    @Test
    void closeLetsAnInProgressReplyOut() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.register("slow", "", 0, 0, args -> {
            inHandler.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        });
        try (SocketChannel c = connect()) {
            write(c, "{\"id\":0,\"method\":\"slow\",\"params\":[]}");
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
            Thread closer = Thread.ofVirtual().start(server::close);
            Thread.sleep(100);
            release.countDown();
            closer.join(5000);
            assertThat(readToEof(c)).isEqualTo("{\"id\":0,\"result\":\"done\\n\",\"error\":null}");
        }
        assertThat(sock).doesNotExist();
    }

    // ------------------------------------------------------------------ the real client, if installed

    /**
     * When OVS's own ovs-appctl is installed, it must work against the server too. Without it this
     * test still checks the same exchange byte for byte (what ovs-appctl sends is
     * {@link #APPCTL_LIST_COMMANDS}, recorded from ovs-appctl 3.1.0).
     */
    @Test
    void ovsAppctlWorksWhenInstalled() throws Exception {
        assertThat(exchange(APPCTL_LIST_COMMANDS)).startsWith("{\"id\":0,\"result\":\"The available commands are:");
        File appctl = findOnPath("ovs-appctl");
        if (appctl == null) {
            return;
        }
        Run list = run(appctl, "list-commands");
        assertThat(list.exit).isZero();
        assertThat(list.out).startsWith("The available commands are:\n").contains("  version                 \n");
        Run version = run(appctl, "version");
        assertThat(version.exit).isZero();
        assertThat(version.out).isEqualTo("ovsj (ovsj) 1.2.3\n");
        Run echo = run(appctl, "pair", "a\"b\\c", "\u00e9");
        assertThat(echo.out).isEqualTo("a\"b\\c+\u00e9\n");
        Run unknown = run(appctl, "nosuch");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.err).contains("\"nosuch\" is not a valid command").contains("server returned an error");
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(File appctl, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = appctl.getPath();
        cmd[1] = "-t";
        cmd[2] = sock.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, UTF_8), new String(err, UTF_8));
    }

    private static File findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(sock));
    }

    /** Sends one request on a new connection; returns everything until the server's reply is whole. */
    private String exchange(String request) {
        try (SocketChannel c = connect()) {
            write(c, request);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(65536);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                b.clear();
                int n = c.read(b);
                if (n < 0) {
                    break;
                }
                got.write(b.array(), 0, n);
                try {
                    Json.parse(got.toByteArray(), 0, got.size());
                    break; // a whole JSON value
                } catch (Json.ParseException e) {
                    // not yet
                }
            }
            return got.toString(UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static String readExactly(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                break;
            }
        }
        return new String(b.array(), 0, b.position(), UTF_8);
    }

    private static String readToEof(SocketChannel c) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n;
        while ((n = c.read(b)) >= 0) {
            got.write(b.array(), 0, n);
            b.clear();
        }
        return got.toString(UTF_8);
    }
}
