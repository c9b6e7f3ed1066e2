package ovsj.odp.dpif;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.Wire;

/**
 * A netlink socket reached over the ovsj datapath's server protocol ({@code shared/tools/README.md}):
 * a UNIX stream socket on which every datagram, both ways, is a frame of a 4-byte little-endian length
 * N and then the N bytes. The server assigns the port id; this channel learns it from the
 * {@code nlmsg_pid} of the first reply that carries one.
 */
public final class UnixSocketChannel implements NetlinkChannel {
    /** The largest frame the server accepts (its {@code MAX_FRAME_BYTES}). */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    /** Largest frame accepted from the server before the stream is declared corrupt. */
    private static final int MAX_REPLY_BYTES = 64 << 20;

    private final Path path;
    private final SocketChannel ch;
    private final ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer[] out = new ByteBuffer[2];
    /** Read-ahead buffer: frames are cut out of it. */
    private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
    private final byte[] lenBytes = new byte[4];
    private byte[] frame = new byte[64 * 1024];
    private volatile int portId;

    private UnixSocketChannel(Path path, SocketChannel ch) {
        this.path = path;
        this.ch = ch;
        in.limit(0);
    }

    /** Connects to the datapath's netlink socket at {@code path}. */
    public static UnixSocketChannel connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new UnixSocketChannel(path, ch);
    }

    public Path path() {
        return path;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (len <= 0 || len > MAX_FRAME_BYTES) {
            throw new IOException("datagram of " + len + " bytes: frames carry 1.." + MAX_FRAME_BYTES);
        }
        header.clear();
        header.putInt(len).flip();
        out[0] = header;
        out[1] = ByteBuffer.wrap(buf, off, len);
        while (out[1].hasRemaining()) {
            ch.write(out);
        }
    }

    @Override
    public Datagram receive() throws IOException {
        readFully(lenBytes, 4);
        long len = Integer.toUnsignedLong(Wire.u32(lenBytes, 0));
        if (len == 0 || len > MAX_REPLY_BYTES) {
            throw new IOException("netlink socket " + path + ": bad frame length " + len);
        }
        int n = (int) len;
        if (frame.length < n) {
            frame = new byte[Math.max(n, frame.length * 2)];
        }
        readFully(frame, n);
        if (portId == 0 && n >= NlMsgHdr.LENGTH) {
            int pid = NlMsgHdr.pid(frame, 0);
            if (pid != 0) {
                portId = pid;
            }
        }
        return new Datagram(frame, 0, n);
    }

    /** Reads exactly {@code n} bytes into {@code dst[0, n)} through the read-ahead buffer. */
    private void readFully(byte[] dst, int n) throws IOException {
        int done = 0;
        while (done < n) {
            if (!in.hasRemaining()) {
                in.clear();
                int r = ch.read(in);
                in.flip();
                if (r < 0) {
                    throw new EOFException("netlink socket " + path + ": closed by the datapath");
                }
            }
            int k = Math.min(n - done, in.remaining());
            in.get(dst, done, k);
            done += k;
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
