package ovsj.datapath.genl;

import java.util.Arrays;
import java.util.List;

import ovsj.datapath.Datapath;
import ovsj.datapath.OvsDatapath;
import ovsj.datapath.Vport;
import ovsj.netlink.Errno;
import ovsj.netlink.NlWriter;
import ovsj.netlink.Wire;
import ovsj.odp.FlowKey;
import ovsj.odp.KernelLog;
import ovsj.odp.codec.ActionCaller;
import ovsj.odp.codec.ActionCodec;
import ovsj.odp.codec.KeyParser;
import ovsj.odp.uapi.Families;
import ovsj.odp.uapi.OvsHeader;
import ovsj.odp.uapi.PacketAttr;
import ovsj.odp.uapi.PacketCmd;

/**
 * {@code ovs_packet}: {@code OVS_PACKET_CMD_EXECUTE}, the twin of {@code ovs_packet_cmd_execute}. Its
 * other commands (MISS, ACTION) go the other way, as upcalls. The family has no multicast group.
 *
 * <p>A request is checked in the kernel's order: PACKET, KEY and ACTIONS present (-EINVAL), the key,
 * the actions against the key, then the datapath (-ENODEV) and the input port. What happens to the
 * packet then belongs to the packet path: see {@link PacketExecutor}. Without one the answer is 0 and
 * nothing else happens.
 *
 * <p>Known difference, until the packet path's key extraction exists: the kernel takes only the
 * metadata from KEY ({@code ovs_nla_get_flow_metadata}) and extracts the rest from the frame
 * ({@code key_extract}), then validates the actions against that key. Here KEY is parsed as a whole
 * with {@link KeyParser} (the same attribute rules and metadata checks), so a key that disagrees with
 * its frame, or that lacks attributes {@code match_validate} wants (an IPv4 key without IPV4), is refused
 * with -EINVAL where the kernel would accept it. vswitchd always sends the key it extracted from the
 * frame, for which both agree.
 */
public final class PacketFamily extends GenlFamily {
    /** {@code ETH_HLEN}: the shortest frame the policy lets through. */
    static final int ETH_HLEN = 14;

    private static final AttrPolicy[] POLICY = packetPolicy();

    private final OvsDatapath ovs;
    private final ThreadLocal<KeyParser> parsers = ThreadLocal.withInitial(KeyParser::new);
    private volatile PacketExecutor executor;

    public PacketFamily(OvsDatapath ovs) {
        super(Families.PACKET_FAMILY, Families.PACKET_VERSION, OvsHeader.LENGTH, POLICY,
                List.of(new GenlOp(PacketCmd.EXECUTE, true, false, true)), List.of());
        this.ovs = ovs;
    }

    /** {@code packet_policy} of 6.1 (maxattr HASH; no UPCALL_PID yet). */
    private static AttrPolicy[] packetPolicy() {
        AttrPolicy[] p = new AttrPolicy[PacketAttr.MAX + 1];
        p[PacketAttr.PACKET] = AttrPolicy.unspec(ETH_HLEN);
        p[PacketAttr.KEY] = AttrPolicy.NESTED;
        p[PacketAttr.ACTIONS] = AttrPolicy.NESTED;
        p[PacketAttr.PROBE] = AttrPolicy.FLAG;
        p[PacketAttr.MRU] = AttrPolicy.U16;
        p[PacketAttr.HASH] = AttrPolicy.U64;
        return p;
    }

    /**
     * HOOK for the packet path: installs what runs validated EXECUTE requests (null: none, the default,
     * every valid request answers 0 and the packet is dropped unseen).
     */
    public void executor(PacketExecutor e) {
        this.executor = e;
    }

    /** The installed packet path, or null. */
    public PacketExecutor executor() {
        return executor;
    }

    @Override
    public int doit(GenlRequest req) {
        return req.cmd() == PacketCmd.EXECUTE ? onExecute(req) : -Errno.EOPNOTSUPP;
    }

    /** {@code ovs_packet_cmd_execute}. */
    private int onExecute(GenlRequest req) {
        boolean log = !req.has(PacketAttr.PROBE);
        if (!req.has(PacketAttr.PACKET) || !req.has(PacketAttr.KEY) || !req.has(PacketAttr.ACTIONS)) {
            return -Errno.EINVAL;
        }
        byte[] buf = req.buf();
        int p = req.payload(PacketAttr.PACKET);
        byte[] packet = Arrays.copyOfRange(buf, p, p + req.payloadLength(PacketAttr.PACKET));
        int mru = req.has(PacketAttr.MRU) ? Wire.u16(buf, req.payload(PacketAttr.MRU)) : 0;
        boolean hasHash = req.has(PacketAttr.HASH);
        long hash = hasHash ? Wire.u64(buf, req.payload(PacketAttr.HASH)) : 0;

        // ovs_flow_key_extract_userspace (see the class comment for how this differs): any refusal of
        // the key is -EINVAL.
        FlowKey key = new FlowKey();
        KernelLog klog = log ? req.klog() : KernelLog.NONE;
        if (parsers.get().parseMatch(buf, req.attr(PacketAttr.KEY), -1, key, null, klog) != 0) {
            return -Errno.EINVAL;
        }
        NlWriter acts = new NlWriter(Math.max(64, req.payloadLength(PacketAttr.ACTIONS) + 64));
        ActionCaller caller = ActionCaller.PACKET_EXECUTE.withComm(req.socket().comm());
        int err = ActionCodec.copyActions(buf, req.payload(PacketAttr.ACTIONS), req.payloadLength(PacketAttr.ACTIONS),
                key, acts, req.klog(), log ? caller : caller.probe());
        if (err != 0) {
            return err;
        }
        // get_dp_rcu: no lock, as the kernel only holds rcu_read_lock here.
        Datapath dp = ovs.net().datapath(req.dpIfindex());
        if (dp == null) {
            return -Errno.ENODEV;
        }
        Vport input = dp.port(key.inPort());
        if (input == null) {
            input = dp.port(Datapath.LOCAL_PORT);
        }
        if (input == null) {
            return -Errno.ENODEV;
        }
        PacketExecutor e = executor;
        if (e == null) {
            return 0; // NOT EXECUTED: the packet path is not built yet (see PacketExecutor)
        }
        return e.execute(new PacketExecutor.Execution(dp, input, packet, key, acts.toByteArray(), mru, hash,
                hasHash));
    }
}
