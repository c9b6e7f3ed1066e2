package ovsj.datapath.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ovsj.netlink.GenlMsgHdr;
import ovsj.netlink.NlMsgHdr;
import ovsj.netlink.NlWriter;

/**
 * A replay connection over the real UNIX-socket transport, framed as the server protocol says (4-byte
 * little-endian length, then one datagram). A step ends the way parity.py ends it: after the request
 * a barrier (nlctrl GETFAMILY "nlctrl" with seq ≥ 0x80000000) is sent, and every frame before the
 * barrier's reply belongs to the step. The port id is learned from the first reply's nlmsg_pid.
 */
final class SocketConnection implements ReplayConnection {
    private static final int BARRIER_SEQ_BASE = 0x80000000;
    private final SocketChannel ch;
    private int portId;
    private int barrierSeq = BARRIER_SEQ_BASE;

    SocketConnection(Path socket) {
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        request(barrier()); // learn our port id from the reply
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public List<byte[]> request(byte[] datagram) {
        try {
            write(datagram);
            byte[] barrier = barrier();
            int seq = NlMsgHdr.seq(barrier, 0);
            write(barrier);
            List<byte[]> out = new ArrayList<>();
            while (true) {
                byte[] frame = read();
                if (frame.length >= NlMsgHdr.LENGTH && NlMsgHdr.seq(frame, 0) == seq) {
                    portId = NlMsgHdr.pid(frame, 0);
                    return out;
                }
                out.add(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<byte[]> inject(Runnable inject) {
        inject.run();
        try {
            byte[] barrier = barrier();
            int seq = NlMsgHdr.seq(barrier, 0);
            write(barrier);
            List<byte[]> out = new ArrayList<>();
            while (true) {
                byte[] frame = read();
                if (frame.length >= NlMsgHdr.LENGTH && NlMsgHdr.seq(frame, 0) == seq) {
                    return out;
                }
                out.add(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] barrier() {
        NlWriter w = new NlWriter(64);
        int m = w.beginMessage(GenlMsgHdr.GENL_ID_CTRL, NlMsgHdr.F_REQUEST, barrierSeq++, 0);
        w.putGenlHeader(3, 1);
        w.putString(2, "nlctrl");
        w.endMessage(m);
        return w.toByteArray();
    }

    private void write(byte[] datagram) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + datagram.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(datagram.length).put(datagram).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private byte[] read() throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        fill(len);
        ByteBuffer body = ByteBuffer.allocate(len.getInt(0));
        fill(body);
        return body.array();
    }

    private void fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("the datapath closed the connection");
            }
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a socket we are done with
        }
    }
}
