package ovsj.datapath.actions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

import ovsj.datapath.Packet;
import ovsj.odp.FlowKey;

/** A fake datapath: records outputs, upcalls, recirculations and log lines. */
class RecordingContext implements ActionContext {
    record Output(int port, byte[] frame, FlowKey key, Packet packet) {
    }

    record Upcall(byte[] frame, FlowKey key, UpcallInfo info, byte[] userdata, byte[] actions, int hash) {
    }

    record Recirc(byte[] frame, FlowKey key, int recircId, int level, Packet packet) {
    }

    /** What the datapath does on recirculation (default: record only). */
    interface RecircHandler {
        void recirc(RecordingContext ctx, Packet p, FlowKey key, int recircId);
    }

    final ActionExecutor executor;
    final List<Output> outputs = new ArrayList<>();
    final List<Upcall> upcalls = new ArrayList<>();
    final List<Recirc> recircs = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    final List<Integer> meters = new ArrayList<>();
    int keyUpdates;
    int tunnelSets;
    IntSupplier random = () -> 0;
    boolean meterDrops;
    RecircHandler onRecirc = (c, p, k, id) -> { };
    OutputHandler onOutput = (c, p, port, k) -> { };

    interface OutputHandler {
        void output(RecordingContext ctx, Packet p, int port, FlowKey key);
    }

    RecordingContext() {
        this(new ActionExecutor());
    }

    RecordingContext(ActionExecutor executor) {
        this.executor = executor;
    }

    /** Runs a stored list on {@code p} with its own key. */
    int run(Packet p, byte[] stored) {
        return executor.execute(p, p.key, stored, 0, stored.length, this);
    }

    @Override
    public void output(Packet p, int portNo, FlowKey key) {
        outputs.add(new Output(portNo, p.frame(), new FlowKey(key), p));
        onOutput.output(this, p, portNo, key);
    }

    @Override
    public int userspace(Packet p, FlowKey key, UpcallInfo info) {
        byte[] ud = info.hasUserdata()
                ? Arrays.copyOfRange(info.stored(), info.userdataOff(), info.userdataOff() + info.userdataLen()) : null;
        byte[] acts = info.hasActions()
                ? Arrays.copyOfRange(info.stored(), info.actionsOff(), info.actionsOff() + info.actionsLen()) : null;
        byte[] frame = Arrays.copyOfRange(p.buf, p.off, p.off + p.len - info.cutlen());
        upcalls.add(new Upcall(frame, new FlowKey(key), info, ud, acts, p.hash));
        return 0;
    }

    @Override
    public void recirc(Packet p, FlowKey key, int recircId) {
        recircs.add(new Recirc(p.frame(), new FlowKey(key), recircId, executor.level(), p));
        onRecirc.recirc(this, p, key, recircId);
    }

    @Override
    public int flowKeyUpdate(Packet p, FlowKey key) {
        keyUpdates++;
        Frames.extract(p, key, ActionExecutor.macProto(key) == FlowKey.MAC_PROTO_ETHERNET, key.ethType());
        return 0;
    }

    @Override
    public int randomU32() {
        return random.getAsInt();
    }

    @Override
    public boolean meter(Packet p, FlowKey key, int meterId) {
        meters.add(meterId);
        return meterDrops;
    }

    @Override
    public void setTunnelInfo(Packet p, byte[] stored, int off, int len) {
        tunnelSets++;
    }

    @Override
    public String dpName() {
        return "dp0";
    }

    @Override
    public void logRateLimited(String line) {
        logs.add(line);
    }

    byte[] onlyOutputFrame() {
        org.assertj.core.api.Assertions.assertThat(outputs).hasSize(1);
        return outputs.get(0).frame();
    }
}
