package ovsj.datapath.vport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ovsj.datapath.Packet;

class InternalDeviceTest {
    static Packet packet(byte... frame) {
        return new Packet().wrap(frame, 0, frame.length, 1);
    }

    @Test
    void keepsTheLastFramesOldestFirst() {
        InternalDevice d = new InternalDevice(3);
        for (int i = 1; i <= 5; i++) {
            assertThat(d.send(packet((byte) i, (byte) (i * 16)))).isTrue();
        }
        assertThat(d.transmitted()).containsExactly(new byte[] {3, 48}, new byte[] {4, 64}, new byte[] {5, 80});
        assertThat(d.txPackets()).isEqualTo(5);
        assertThat(d.txBytes()).isEqualTo(10);
        assertThat(InternalDevice.hexLines(d.transmitted())).isEqualTo("0330\n0440\n0550\n");
        assertThat(d.clear()).isEqualTo(3);
        assertThat(d.transmitted()).isEmpty();
        assertThat(InternalDevice.hexLines(d.transmitted())).isEmpty();
        assertThat(d.txPackets()).isEqualTo(5);
    }

    @Test
    void copiesTheFrameAndTheListIsASnapshot() {
        InternalDevice d = new InternalDevice();
        assertThat(d.capacity()).isEqualTo(InternalDevice.DEFAULT_CAPACITY);
        Packet p = packet((byte) 1, (byte) 2, (byte) 3);
        p.off += 1; // the frame is buf[off, off+len): as after a pop
        p.len -= 1;
        d.send(p);
        p.buf[p.off] = 9; // the packet is the sender's again after send
        List<byte[]> seen = d.transmitted();
        assertThat(seen).containsExactly(new byte[] {2, 3});
        seen.get(0)[0] = 7;
        assertThat(d.transmitted()).containsExactly(new byte[] {2, 3});
        d.send(packet((byte) 4));
        assertThat(seen).hasSize(1);
    }

    @Test
    void capacityZeroOnlyCounts() {
        InternalDevice d = new InternalDevice(0);
        d.send(packet((byte) 1));
        assertThat(d.transmitted()).isEmpty();
        assertThat(d.txPackets()).isEqualTo(1);
        assertThatThrownBy(() -> new InternalDevice(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentSendersLoseNothing() throws InterruptedException {
        InternalDevice d = new InternalDevice(100_000);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            ts.add(Thread.ofPlatform().start(() -> {
                Packet p = new Packet();
                for (int i = 0; i < 10_000; i++) {
                    byte[] f = {(byte) id, (byte) i, (byte) (i >> 8)};
                    d.send(p.wrap(f, 0, 3, 1));
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(d.txPackets()).isEqualTo(40_000);
        assertThat(d.transmitted()).hasSize(40_000);
        // Each sender's frames stay in its order.
        int[] next = new int[4];
        for (byte[] f : d.transmitted()) {
            int i = (f[1] & 0xff) | (f[2] & 0xff) << 8;
            assertThat(i).isEqualTo(next[f[0]]++);
        }
    }
}
