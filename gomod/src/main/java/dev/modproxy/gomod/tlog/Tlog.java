package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hash tree of a tamper-evident log, as in x/mod's {@code sumdb/tlog} (Certificate
 * Transparency, RFC 6962 §2.1, so its proofs are compatible with CT's).
 *
 * <p>A record's hash is SHA-256(0x00 || data); an interior node's is SHA-256(0x01 || left ||
 * right). The tree over records [lo, hi) splits at the largest power of two k smaller than
 * hi - lo: the left subtree holds k records and is complete, the right holds the rest. The
 * hash of the tree with no records is all zeros.
 *
 * <p>Hashes are stored in one dense sequence (Crosby and Wallach, "Efficient Data Structures for
 * Tamper-Evident Logging", §3.3): appending record n writes its record hash and then the hash of
 * every complete subtree that record closes, so the level-L hash with index n (covering records
 * [n·2^L, (n+1)·2^L)) sits right after the level-(L-1) hash with index 2n+1. A tree of n records
 * thus needs {@link #storedHashCount}(n) stored hashes, and its root hash, like any subtree hash,
 * can be computed from at most 1 + log₂ n of them.
 *
 * <p>Inclusion and consistency proofs are in {@link Proofs}.
 */
public final class Tlog {

    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};

    private Tlog() {
    }

    /** The hash of a record: SHA-256(0x00 || data). */
    public static Hash recordHash(byte[] data) {
        return Hash.sha256(LEAF_PREFIX, data);
    }

    /** The hash of an interior node: SHA-256(0x01 || left || right). */
    public static Hash nodeHash(Hash left, Hash right) {
        return Hash.sha256(NODE_PREFIX, left.bytes(), right.bytes());
    }

    /** The position in the stored-hash sequence of the level-{@code level} hash number {@code n}. */
    public static long storedHashIndex(int level, long n) {
        // Level L's n'th hash comes right after level L-1's (2n+1)'th: descend to level 0.
        for (int l = level; l > 0; l--) {
            n = 2 * n + 1;
        }
        // Level 0's n'th hash follows n + n/2 + n/4 + ... earlier hashes.
        long i = 0;
        for (; n > 0; n >>= 1) {
            i += n;
        }
        return i + level;
    }

    /** The inverse of {@link #storedHashIndex}: {level, n}. */
    public static long[] splitStoredHashIndex(long index) {
        // storedHashIndex(0, n) < 2n, so the record that wrote the index is in [index/2, index/2 + log₂ index].
        long n = index / 2;
        long indexN = storedHashIndex(0, n);
        if (indexN > index) {
            throw new IllegalStateException("bad math");
        }
        while (true) {
            // Record n writes 1 + trailingZeros(n+1) hashes.
            long x = indexN + 1 + Long.numberOfTrailingZeros(n + 1);
            if (x > index) {
                break;
            }
            n++;
            indexN = x;
        }
        int level = (int) (index - indexN);
        return new long[] {level, n >> level};
    }

    /** The number of stored hashes of a tree with n records. */
    public static long storedHashCount(long n) {
        if (n == 0) {
            return 0;
        }
        long numHash = storedHashIndex(0, n - 1) + 1;
        // Plus the subtrees the last record completes.
        for (long i = n - 1; (i & 1) != 0; i >>>= 1) {
            numHash++;
        }
        return numHash;
    }

    /**
     * The hashes to store, starting at {@code storedHashIndex(0, n)}, when appending record n with
     * the given data; reads up to log₂ n earlier hashes from {@code r}.
     */
    public static List<Hash> storedHashes(long n, byte[] data, HashReader r) throws GoModException {
        return storedHashesForRecordHash(n, recordHash(data), r);
    }

    /** Like {@link #storedHashes} but given the record hash. */
    public static List<Hash> storedHashesForRecordHash(long n, Hash h, HashReader r) throws GoModException {
        List<Hash> hashes = new ArrayList<>();
        hashes.add(h);
        // Each trailing 1 bit of n completes a subtree, whose left sibling must be read.
        int m = Long.numberOfTrailingZeros(n + 1);
        long[] indexes = new long[m];
        for (int i = 0; i < m; i++) {
            indexes[m - 1 - i] = storedHashIndex(i, (n >> i) - 1);
        }
        List<Hash> old = HashReader.readChecked(r, indexes);
        for (int i = 0; i < m; i++) {
            h = nodeHash(old.get(m - 1 - i), h);
            hashes.add(h);
        }
        return hashes;
    }

    /** The root hash of the tree of n records, from one read of at most 1 + log₂ n stored hashes. */
    public static Hash treeHash(long n, HashReader r) throws GoModException {
        if (n == 0) {
            return Hash.ZERO;
        }
        List<Long> indexes = subTreeIndex(0, n, new ArrayList<>());
        List<Hash> hashes = HashReader.readChecked(r, toArray(indexes));
        Cursor c = new Cursor(hashes);
        Hash h = subTreeHash(0, n, c);
        if (!c.done()) {
            throw new IllegalStateException("tlog: bad index math in TreeHash");
        }
        return h;
    }

    /** The largest power of two smaller than n (1 for n ≤ 2), as {k, log₂ k}. */
    static long[] maxpow2(long n) {
        int l = 0;
        while (1L << (l + 1) < n) {
            l++;
        }
        return new long[] {1L << l, l};
    }

    /** Appends the stored indexes of the complete subtrees making up records [lo, hi). */
    static List<Long> subTreeIndex(long lo, long hi, List<Long> need) {
        while (lo < hi) {
            long[] kl = maxpow2(hi - lo + 1);
            long k = kl[0];
            int level = (int) kl[1];
            if ((lo & (k - 1)) != 0) {
                throw new IllegalStateException("tlog: bad math in subTreeIndex");
            }
            need.add(storedHashIndex(level, lo >> level));
            lo += k;
        }
        return need;
    }

    /** The hash of records [lo, hi) from the hashes {@link #subTreeIndex} named, consumed from c. */
    static Hash subTreeHash(long lo, long hi, Cursor c) {
        // The range splits into complete subtrees of falling size; fold them right to left.
        int numTree = 0;
        while (lo < hi) {
            long k = maxpow2(hi - lo + 1)[0];
            if ((lo & (k - 1)) != 0) {
                throw new IllegalStateException("tlog: bad math in subTreeHash");
            }
            numTree++;
            lo += k;
        }
        List<Hash> trees = c.take(numTree);
        Hash h = trees.get(numTree - 1);
        for (int i = numTree - 2; i >= 0; i--) {
            h = nodeHash(trees.get(i), h);
        }
        return h;
    }

    static long[] toArray(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    /** Hashes read for a computation, consumed front to back. */
    static final class Cursor {
        private final List<Hash> hashes;
        private int next;

        Cursor(List<Hash> hashes) {
            this.hashes = hashes;
        }

        List<Hash> take(int n) {
            if (hashes.size() - next < n) {
                throw new IllegalStateException("tlog: bad index math");
            }
            List<Hash> out = hashes.subList(next, next + n);
            next += n;
            return out;
        }

        Hash take() {
            return take(1).get(0);
        }

        boolean done() {
            return next == hashes.size();
        }
    }
}
