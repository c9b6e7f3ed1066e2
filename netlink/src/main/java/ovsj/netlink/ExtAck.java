package ovsj.netlink;

/**
 * The extended-ack state a request handler fills in ({@code struct netlink_ext_ack}): a message, the
 * offending attribute (as an offset from the start of the request's nlmsghdr) and the policy it broke.
 * Reusable: {@link #clear()} between requests.
 */
public final class ExtAck {
    private String msg;
    private int badAttrOffset = -1;
    private NlPolicy policy;

    public ExtAck clear() {
        msg = null;
        badAttrOffset = -1;
        policy = null;
        return this;
    }

    /** {@code NL_SET_ERR_MSG}. */
    public ExtAck msg(String m) {
        this.msg = m;
        return this;
    }

    /** {@code NL_SET_BAD_ATTR_POLICY}: offset of the attribute header from the start of the nlmsghdr. */
    public ExtAck badAttr(int offsetFromNlmsghdr, NlPolicy p) {
        this.badAttrOffset = offsetFromNlmsghdr;
        this.policy = p;
        return this;
    }

    public String msg() {
        return msg;
    }

    public int badAttrOffset() {
        return badAttrOffset;
    }

    public NlPolicy policy() {
        return policy;
    }

    public boolean isEmpty() {
        return msg == null && badAttrOffset < 0 && policy == null;
    }
}
