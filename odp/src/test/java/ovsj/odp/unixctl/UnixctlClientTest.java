package ovsj.odp.unixctl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UnixctlClientTest {
    @TempDir
    Path dir;

    Path sock;
    UnixctlServer server;

    @BeforeEach
    void start() throws IOException {
        sock = dir.resolve("ctl.sock");
        server = new UnixctlServer(sock, "1.2.3");
        server.register("echo", "[ARG...]", 0, Integer.MAX_VALUE, args -> String.join(" ", args));
        server.register("fail", "", 0, 0, args -> {
            throw new UnixctlServer.CommandException("it failed");
        });
        server.register("big", "N", 1, 1, args -> "{\"}\"}\n".repeat(Integer.parseInt(args[0])));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void resultsAndErrorsComeBackAsSent() throws IOException {
        try (UnixctlClient c = UnixctlClient.connect(sock)) {
            assertThat(c.transact("version", List.of())).isEqualTo(new UnixctlClient.Reply("ovsj (ovsj) 1.2.3\n", null));
            UnixctlClient.Reply r = c.transact("echo", List.of("-m", "a b", "\"q\""));
            assertThat(r.isError()).isFalse();
            assertThat(r.result()).isEqualTo("-m a b \"q\"\n");
            UnixctlClient.Reply e = c.transact("fail", List.of());
            assertThat(e.isError()).isTrue();
            assertThat(e.error()).isEqualTo("it failed\n");
            assertThat(c.transact("nosuch", List.of()).error())
                    .isEqualTo("\"nosuch\" is not a valid command (use \"list-commands\" to see a list of valid commands)\n");
            assertThat(c.transact("echo", List.of()).result()).isEmpty();
        }
    }

    @Test
    void aLongReplyWithBracesInItsTextIsReadWhole() throws IOException {
        try (UnixctlClient c = UnixctlClient.connect(sock)) {
            String r = c.transact("big", List.of("20000")).result();
            assertThat(r).hasSize(6 * 20000).isEqualTo("{\"}\"}\n".repeat(20000));
        }
    }

    @Test
    void requestsAreOvsAppctlsBytesWithIdsFromZero() throws Exception {
        Path raw = dir.resolve("raw.sock");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ServerSocketChannel s = listen(raw)) {
            CompletableFuture<Void> f = serve(s, req -> {
                seen.add(req);
                String id = req.substring("{\"id\":".length(), req.indexOf(','));
                return "{\"id\":" + id + ",\"result\":\"ok " + id + "\\n\",\"error\":null}";
            }, 2);
            try (UnixctlClient c = UnixctlClient.connect(raw)) {
                assertThat(c.transact("list-commands", List.of()).result()).isEqualTo("ok 0\n");
                assertThat(c.transact("upcall/set-flow-limit", List.of("20000")).result()).isEqualTo("ok 1\n");
            }
            f.get(10, TimeUnit.SECONDS);
        }
        // What ovs-appctl 3.1.0 sends for "ovs-appctl -t PATH list-commands" (see UnixctlServerTest).
        assertThat(seen).containsExactly(UnixctlServerTest.APPCTL_LIST_COMMANDS,
                "{\"id\":1,\"method\":\"upcall/set-flow-limit\",\"params\":[\"20000\"]}");
    }

    @Test
    void repliesToOtherIdsAreSkipped() throws Exception {
        Path raw = dir.resolve("raw.sock");
        try (ServerSocketChannel s = listen(raw)) {
            serve(s, req -> "{\"id\":7,\"result\":\"not yours\",\"error\":null} "
                    + "{\"id\":0,\"result\":\"yours\",\"error\":null}", 1);
            try (UnixctlClient c = UnixctlClient.connect(raw)) {
                assertThat(c.transact("x", List.of()).result()).isEqualTo("yours");
            }
        }
    }

    @Test
    void aReplyWhoseResultIsNotAStringIsInvalid() throws Exception {
        Path raw = dir.resolve("raw.sock");
        try (ServerSocketChannel s = listen(raw)) {
            serve(s, req -> "{\"id\":0,\"result\":[1],\"error\":null}", 1);
            try (UnixctlClient c = UnixctlClient.connect(raw)) {
                assertThatThrownBy(() -> c.transact("x", List.of()))
                        .isInstanceOf(UnixctlClient.BadReplyException.class).hasMessage("Invalid argument")
                        .satisfies(e -> assertThat(((UnixctlClient.BadReplyException) e).reason())
                                .isEqualTo("unexpected result type in JSON RPC reply: array"));
            }
        }
    }

    @Test
    void aServerThatHangsUpIsEndOfFile() throws Exception {
        Path raw = dir.resolve("raw.sock");
        try (ServerSocketChannel s = listen(raw)) {
            serve(s, req -> null, 1);
            try (UnixctlClient c = UnixctlClient.connect(raw)) {
                assertThatThrownBy(() -> c.transact("x", List.of())).isInstanceOf(IOException.class)
                        .hasMessage("End of file");
            }
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        Path raw = dir.resolve("raw.sock");
        try (ServerSocketChannel s = listen(raw); UnixctlClient c = UnixctlClient.connect(raw).timeoutMs(200)) {
            assertThatThrownBy(() -> c.transact("x", List.of())).isInstanceOf(IOException.class)
                    .hasMessage("Connection timed out");
        }
    }

    @Test
    void connectFailuresSayWhy() {
        assertThatThrownBy(() -> UnixctlClient.connect(dir.resolve("none.sock"))).isInstanceOf(IOException.class)
                .hasMessage("No such file or directory");
    }

    private static ServerSocketChannel listen(Path p) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(p));
        return s;
    }

    /**
     * Accepts one connection and answers {@code n} requests (one JSON object each, read whole) with
     * {@code answer}'s text; a null answer hangs up.
     */
    private static CompletableFuture<Void> serve(ServerSocketChannel s, Function<String, String> answer, int n) {
        return CompletableFuture.runAsync(() -> {
            try (SocketChannel c = s.accept()) {
                StringBuilder got = new StringBuilder();
                ByteBuffer b = ByteBuffer.allocate(4096);
                for (int i = 0; i < n; i++) {
                    while (got.indexOf("}") < 0) {
                        b.clear();
                        if (c.read(b) < 0) {
                            return;
                        }
                        got.append(new String(b.array(), 0, b.position(), UTF_8));
                    }
                    int end = got.indexOf("}") + 1;
                    String req = got.substring(0, end);
                    got.delete(0, end);
                    String reply = answer.apply(req);
                    if (reply == null) {
                        return;
                    }
                    ByteBuffer w = ByteBuffer.wrap(reply.getBytes(UTF_8));
                    while (w.hasRemaining()) {
                        c.write(w);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
