package ovsj.datapath.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One hash table instance ({@code struct table_instance}): a power-of-two array of buckets, each a
 * singly linked chain of {@link Node}s, and the seed that spreads flow hashes over the buckets.
 *
 * <p>A node belongs to exactly one instance (the kernel's {@code flow->flow_table.node[ti->node_ver]});
 * a rehash builds fresh nodes in a new instance and never touches the old one, so a reader (or a dump
 * cursor) that still holds the old instance walks an intact structure for as long as it likes. The
 * kernel reuses two node slots per flow and relies on an RCU grace period between rehashes; allocating
 * nodes instead makes the old instance safe across any number of rehashes, with the GC as our RCU.
 *
 * <p>Memory ordering (single writer, many lock-free readers):
 * <ul>
 *   <li>bucket heads: written by the writer with {@code setRelease}, read by readers with
 *       {@code getAcquire} — a reader that sees a node sees its fields and everything the writer did
 *       before publishing it (the flow's mask and hash included);</li>
 *   <li>{@code Node.next}: set in the constructor before publication (plain, ordered by the
 *       publishing release store), later changed only to unlink a successor, with {@code setRelease};
 *       readers load it with {@code getAcquire};</li>
 *   <li>an unlinked node keeps its {@code next}: a reader standing on it still reaches the rest of the
 *       chain.</li>
 * </ul>
 * The writer reads its own structure with plain loads.
 */
final class TableInstance {
    static final int MIN_BUCKETS = 1024;

    private static final VarHandle BUCKETS = MethodHandles.arrayElementVarHandle(Node[].class);
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A flow's link in one instance; carries the hash so a chain walk touches flows only on a match. */
    static final class Node {
        final int hash;
        final Flow flow;
        /** Accessed through {@link #NEXT}: release on unlink, acquire by readers. */
        Node next;

        Node(int hash, Flow flow, Node next) {
            this.hash = hash;
            this.flow = flow;
            this.next = next; // plain: ordered before publication by the publishing release store
        }

        /** Reader's load of the successor (acquire: pairs with the writer's release on unlink). */
        Node nextAcquire() {
            return (Node) NEXT.getAcquire(this);
        }
    }

    private final Node[] buckets;
    private final int seed;

    TableInstance(int nBuckets, int seed) {
        if (Integer.bitCount(nBuckets) != 1) {
            throw new IllegalArgumentException("bucket count must be a power of two: " + nBuckets);
        }
        this.buckets = new Node[nBuckets];
        this.seed = seed;
    }

    int nBuckets() {
        return buckets.length;
    }

    /** {@code find_bucket}: the kernel's {@code jhash_1word(hash, ti->hash_seed) & (n_buckets - 1)}. */
    int bucketOf(int hash) {
        return FlowHash.fmix32(hash ^ seed) & (buckets.length - 1);
    }

    /** Reader's load of a bucket head (acquire: pairs with the writer's release when linking). */
    Node head(int bucket) {
        return (Node) BUCKETS.getAcquire(buckets, bucket);
    }

    // ---- writer side (under the table's lock) -------------------------------------------------------

    /** {@code hlist_add_head_rcu}: links a new node at the head of its bucket. */
    void insert(int hash, Flow flow) {
        int b = bucketOf(hash);
        Node n = new Node(hash, flow, buckets[b]);
        // release: readers that acquire the head see the node's fields and the flow's mask/hash
        BUCKETS.setRelease(buckets, b, n);
    }

    /**
     * {@code hlist_del_rcu}: unlinks the node of {@code flow}. The removed node keeps its next pointer,
     * so a reader standing on it continues down the chain.
     *
     * @return false if the flow is not in this instance
     */
    boolean unlink(Flow flow, int hash) {
        int b = bucketOf(hash);
        Node prev = null;
        for (Node n = buckets[b]; n != null; prev = n, n = n.next) {
            if (n.flow == flow) {
                // release: the successor was published earlier, so any reader that loads it here is safe
                if (prev == null) {
                    BUCKETS.setRelease(buckets, b, n.next);
                } else {
                    NEXT.setRelease(prev, n.next);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * {@code table_instance_rehash}: a new, unpublished instance of {@code nBuckets} holding a fresh node
     * for every flow of this one. Plain stores suffice: the caller publishes it with a volatile store.
     */
    TableInstance rehash(int nBuckets, int newSeed) {
        TableInstance t = new TableInstance(nBuckets, newSeed);
        for (Node head : buckets) {
            for (Node n = head; n != null; n = n.next) {
                int b = t.bucketOf(n.hash);
                t.buckets[b] = new Node(n.hash, n.flow, t.buckets[b]);
            }
        }
        return t;
    }

    /** Writer's walk over every flow (flush): plain loads of its own structure. */
    void forEachFlow(java.util.function.Consumer<Flow> action) {
        for (Node head : buckets) {
            for (Node n = head; n != null; n = n.next) {
                action.accept(n.flow);
            }
        }
    }
}
