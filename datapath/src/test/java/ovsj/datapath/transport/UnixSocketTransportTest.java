package ovsj.datapath.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UnixSocketTransportTest {
    @TempDir
    Path dir;

    final List<UnixSocketTransport> transports = new ArrayList<>();

    /** A handler that records what happens and answers with whatever {@code onReceive} sends. */
    static final class FakeHandler implements NetlinkHandler {
        final Map<Integer, NlSocket> open = new ConcurrentHashMap<>();
        final List<Integer> opened = new CopyOnWriteArrayList<>();
        final List<Integer> closedIds = new CopyOnWriteArrayList<>();
        final CountDownLatch firstClose = new CountDownLatch(1);
        volatile BiConsumer<NlSocket, byte[]> onReceive = (s, req) -> {
            s.send(req, 0, req.length); // echo
        };

        @Override
        public void receive(NlSocket sock, byte[] buf, int off, int len) {
            onReceive.accept(sock, Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void opened(NlSocket sock) {
            open.put(sock.portId(), sock);
            opened.add(sock.portId());
        }

        @Override
        public void closed(NlSocket sock) {
            open.remove(sock.portId());
            closedIds.add(sock.portId());
            firstClose.countDown();
        }
    }

    final FakeHandler handler = new FakeHandler();

    UnixSocketTransport start(Path p, UnixSocketTransport.Limits limits) throws IOException {
        UnixSocketTransport t = new UnixSocketTransport(p, handler, new PortIds(100), limits);
        transports.add(t);
        return t;
    }

    UnixSocketTransport start() throws IOException {
        return start(dir.resolve("nl.sock"), UnixSocketTransport.Limits.DEFAULT);
    }

    @AfterEach
    void stop() {
        transports.forEach(UnixSocketTransport::close);
    }

    // ----------------------------------------------------------------------------- framing

    @Test
    void framesGoBothWaysAndEachConnectionIsOneSocket() throws Exception {
        handler.onReceive = (s, req) -> {
            s.send(req, 0, req.length);
            byte[] id = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(s.portId()).array();
            s.send(id, 0, 4);
        };
        UnixSocketTransport t = start();
        try (SocketChannel a = connect(t); SocketChannel b = connect(t)) {
            sendFrame(a, bytes(1, 2, 3));
            assertThat(readFrame(a)).containsExactly(1, 2, 3);
            int portA = ByteBuffer.wrap(readFrame(a)).order(ByteOrder.LITTLE_ENDIAN).getInt();
            sendFrame(b, bytes(9));
            assertThat(readFrame(b)).containsExactly(9);
            int portB = ByteBuffer.wrap(readFrame(b)).order(ByteOrder.LITTLE_ENDIAN).getInt();
            assertThat(portA).isNotEqualTo(portB).isGreaterThanOrEqualTo(100);
            assertThat(portB).isGreaterThanOrEqualTo(100);
            assertThat(handler.opened).containsExactlyInAnyOrder(portA, portB);
            assertThat(t.connectionCount()).isEqualTo(2);
        }
        awaitClosed(2);
    }

    @Test
    void theLengthIsLittleEndianAndAOneMebibyteFrameIsAccepted() throws Exception {
        handler.onReceive = (s, req) -> {
            byte[] len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(req.length).array();
            s.send(len, 0, 4);
        };
        UnixSocketTransport t = start();
        try (SocketChannel c = connect(t)) {
            byte[] big = new byte[UnixSocketTransport.MAX_FRAME_BYTES];
            big[big.length - 1] = 7;
            sendFrame(c, big);
            ByteBuffer raw = ByteBuffer.allocate(8);
            readFully(c, raw);
            assertThat(raw.array()).containsExactly(4, 0, 0, 0, 0, 0, 0x10, 0);
        }
    }

    @Test
    void pipelinedRequestsAreHandledAndAnsweredInOrder() throws Exception {
        UnixSocketTransport t = start();
        try (SocketChannel c = connect(t)) {
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        sendFrame(c, ByteBuffer.allocate(4).putInt(i).array());
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = 0; i < 2000; i++) {
                assertThat(ByteBuffer.wrap(readFrame(c)).getInt()).isEqualTo(i);
            }
            sender.join();
        }
    }

    @Test
    void upcallsFromOtherThreadsNeverInterleaveWithReplies() throws Exception {
        UnixSocketTransport t = start();
        try (SocketChannel c = connect(t)) {
            sendFrame(c, bytes(0));
            assertThat(readFrame(c)).containsExactly(0);
            NlSocket sock = awaitOpen();
            int threads = 4;
            int perThread = 500;
            List<Thread> upcallers = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int id = th;
                upcallers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] d = new byte[1000 + id * 100];
                        Arrays.fill(d, (byte) (0x10 + id));
                        ByteBuffer.wrap(d).putInt(1, i);
                        sock.send(d, 0, d.length);
                    }
                }));
            }
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 1; i <= 300; i++) {
                        byte[] d = new byte[3000];
                        Arrays.fill(d, (byte) 1);
                        ByteBuffer.wrap(d).putInt(1, i);
                        sendFrame(c, d);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            int[] next = new int[threads];
            int replies = 0;
            int expectedUpcalls = threads * perThread;
            int upcalls = 0;
            while (replies < 300 || upcalls + t.droppedDatagrams() < expectedUpcalls) {
                byte[] f = readFrame(c);
                int seq = ByteBuffer.wrap(f).getInt(1);
                if (f[0] == 1) {
                    assertThat(f).hasSize(3000);
                    assertThat(seq).isEqualTo(++replies);
                } else {
                    int id = f[0] - 0x10;
                    assertThat(f).hasSize(1000 + id * 100);
                    assertThat(seq).isGreaterThanOrEqualTo(next[id]); // in order (drops allowed)
                    next[id] = seq + 1;
                    upcalls++;
                    for (int k = 5; k < f.length; k++) {
                        assertThat(f[k]).isEqualTo((byte) (0x10 + id));
                    }
                }
                if (replies == 300) {
                    for (Thread u : upcallers) {
                        u.join();
                    }
                }
            }
            sender.join();
        }
    }

    // ----------------------------------------------------------------------------- bad input

    @Test
    void badFramesCloseOnlyTheirConnection() throws Exception {
        UnixSocketTransport t = start();
        byte[][] bad = {
            le(0), // zero length
            le(UnixSocketTransport.MAX_FRAME_BYTES + 1), // too long
            new byte[] {5, 0}, // end of stream inside the header
            concat(le(10), bytes(1, 2, 3)), // end of stream inside the frame
        };
        try (SocketChannel good = connect(t)) {
            for (byte[] b : bad) {
                int closedBefore = handler.closedIds.size();
                try (SocketChannel c = connect(t)) {
                    writeAll(c, b);
                    c.shutdownOutput();
                    ByteBuffer r = ByteBuffer.allocate(16);
                    assertThat(c.read(r)).isEqualTo(-1);
                }
                awaitClosed(closedBefore + 1);
            }
            sendFrame(good, bytes(4, 2));
            assertThat(readFrame(good)).containsExactly(4, 2);
        }
    }

    @Test
    void aFailingHandlerClosesThatConnection() throws Exception {
        handler.onReceive = (s, req) -> {
            if (req[0] == 66) {
                throw new IllegalStateException("boom");
            }
            s.send(req, 0, req.length);
        };
        UnixSocketTransport t = start();
        try (SocketChannel c = connect(t); SocketChannel other = connect(t)) {
            sendFrame(c, bytes(66));
            assertThat(c.read(ByteBuffer.allocate(4))).isEqualTo(-1);
            sendFrame(other, bytes(1));
            assertThat(readFrame(other)).containsExactly(1);
        }
    }

    // ----------------------------------------------------------------------------- back-pressure

    @Test
    void aPeerThatDoesNotReadIsDroppedAfterTheStallAndUpcallsToItAreDropped() throws Exception {
        byte[] reply = new byte[32 * 1024];
        handler.onReceive = (s, req) -> s.send(reply, 0, reply.length);
        UnixSocketTransport t = start(dir.resolve("bp.sock"),
                new UnixSocketTransport.Limits(64 * 1024, Duration.ofMillis(1000), "test"));
        try (SocketChannel c = connect(t)) {
            // Requests whose replies outgrow the socket buffers and the queue; never read.
            for (int i = 0; i < 100 && handler.closedIds.isEmpty(); i++) {
                sendFrame(c, bytes(i));
                if (i == 20) {
                    NlSocket sock = awaitOpen();
                    for (int k = 0; k < 50; k++) {
                        Thread up = Thread.ofVirtual().start(() -> sock.send(reply, 0, reply.length));
                        up.join();
                    }
                }
            }
            assertThat(handler.firstClose.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(t.droppedDatagrams()).isPositive();
        }
        // The transport itself is fine.
        handler.onReceive = (s, req) -> s.send(req, 0, req.length);
        try (SocketChannel c = connect(t)) {
            sendFrame(c, bytes(5));
            assertThat(readFrame(c)).containsExactly(5);
        }
    }

    @Test
    void aPeerThatShutsDownItsSideStillGetsItsReplies() throws Exception {
        UnixSocketTransport t = start();
        try (SocketChannel c = connect(t)) {
            for (int i = 0; i < 50; i++) {
                sendFrame(c, bytes(i, i));
            }
            c.shutdownOutput();
            for (int i = 0; i < 50; i++) {
                assertThat(readFrame(c)).containsExactly(i, i);
            }
            assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
        awaitClosed(1);
    }

    // ----------------------------------------------------------------------------- the socket file

    @Test
    void socketFileIsOwnerOnlyAndASecondServerIsRefused() throws Exception {
        UnixSocketTransport t = start();
        Path p = t.path();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        assertThatThrownBy(() -> new UnixSocketTransport(p, handler, new PortIds(1)))
                .isInstanceOf(IOException.class)
                .hasMessage("another ovsj datapath is already serving " + p);
        try (SocketChannel c = connect(t)) {
            sendFrame(c, bytes(3));
            assertThat(readFrame(c)).containsExactly(3);
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path p = dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(p));
        dead.close();
        assertThat(p).exists();
        UnixSocketTransport t = start(p, UnixSocketTransport.Limits.DEFAULT);
        try (SocketChannel c = connect(t)) {
            sendFrame(c, bytes(8));
            assertThat(readFrame(c)).containsExactly(8);
        }
    }

    @Test
    void closeEndsConnectionsAndRemovesTheFile() throws Exception {
        UnixSocketTransport t = start(dir.resolve("sub/dir/nl.sock"), UnixSocketTransport.Limits.DEFAULT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/dir"))))
                .isEqualTo("rwx------");
        try (SocketChannel c = connect(t)) {
            sendFrame(c, bytes(1));
            assertThat(readFrame(c)).containsExactly(1);
            t.close();
            assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
        assertThat(handler.closedIds).hasSize(1);
        assertThat(handler.open).isEmpty();
        assertThat(t.path()).doesNotExist();
        assertThat(t.connectionCount()).isZero();
    }

    // ----------------------------------------------------------------------------- helpers

    /** The one open socket, once the transport has opened it. */
    private NlSocket awaitOpen() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handler.open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return handler.open.values().iterator().next();
    }

    private void awaitClosed(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handler.closedIds.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(handler.closedIds).hasSizeGreaterThanOrEqualTo(n);
    }

    private static SocketChannel connect(UnixSocketTransport t) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(t.path()));
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] le(int n) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static void sendFrame(SocketChannel c, byte[] payload) throws IOException {
        writeAll(c, concat(le(payload.length), payload));
    }

    static void writeAll(SocketChannel c, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            c.write(buf);
        }
    }

    static byte[] readFrame(SocketChannel c) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(c, h);
        byte[] body = new byte[h.getInt(0)];
        readFully(c, ByteBuffer.wrap(body));
        return body;
    }

    static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("end of stream after " + b.position() + " bytes");
            }
        }
    }
}
