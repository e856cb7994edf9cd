package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.ArrayList;
import java.util.List;

/**
 * Inclusion ("record") and consistency ("tree") proofs over the tree of {@link Tlog}, built and
 * checked as RFC 6962 §2.1.1 and §2.1.2 describe, in x/mod's {@code tlog} order.
 *
 * <p>A record proof that record n is in the tree of size t lists, from the leaf upward, the hash
 * of the sibling subtree at each split on the path from the root to n; the verifier already
 * knows the leaf. A tree proof that the tree of size n is a prefix of the tree of size t lists,
 * from the bottom upward, the sibling hashes along the path to the subtree where the two trees
 * meet, starting with that subtree's own hash unless it is the whole old tree (which the
 * verifier knows). A proof with a hash too many or too few fails; so does one whose recomputed
 * root differs.
 */
public final class Proofs {

    private static final String PROOF_FAILED = "invalid transparency proof";

    private Proofs() {
    }

    /** The proof that the tree of size t contains record n. */
    public static List<Hash> proveRecord(long t, long n, HashReader r) throws GoModException {
        if (t < 0 || n < 0 || n >= t) {
            throw tlogError("tlog: invalid inputs in ProveRecord");
        }
        List<Long> indexes = leafProofIndex(0, t, n, new ArrayList<>());
        if (indexes.isEmpty()) {
            return List.of();
        }
        Tlog.Cursor c = new Tlog.Cursor(HashReader.readChecked(r, Tlog.toArray(indexes)));
        List<Hash> p = leafProof(0, t, n, c);
        if (!c.done()) {
            throw new IllegalStateException("tlog: bad index math in ProveRecord");
        }
        return List.copyOf(p);
    }

    /** Checks that p proves the tree of size t with hash th has record n with hash h. */
    public static void checkRecord(List<Hash> p, long t, Hash th, long n, Hash h) throws GoModException {
        if (t < 0 || n < 0 || n >= t) {
            throw tlogError("tlog: invalid inputs in CheckRecord");
        }
        if (!runRecordProof(p, 0, t, n, h).equals(th)) {
            throw tlogError(PROOF_FAILED);
        }
    }

    /** The proof that the tree of size t contains the tree of size n as a prefix. */
    public static List<Hash> proveTree(long t, long n, HashReader r) throws GoModException {
        if (t < 1 || n < 1 || n > t) {
            throw tlogError("tlog: invalid inputs in ProveTree");
        }
        List<Long> indexes = treeProofIndex(0, t, n, new ArrayList<>());
        if (indexes.isEmpty()) {
            return List.of();
        }
        Tlog.Cursor c = new Tlog.Cursor(HashReader.readChecked(r, Tlog.toArray(indexes)));
        List<Hash> p = treeProof(0, t, n, c);
        if (!c.done()) {
            throw new IllegalStateException("tlog: bad index math in ProveTree");
        }
        return List.copyOf(p);
    }

    /** Checks that p proves the tree of size t with hash th contains the tree of size n with hash h. */
    public static void checkTree(List<Hash> p, long t, Hash th, long n, Hash h) throws GoModException {
        if (t < 1 || n < 1 || n > t) {
            throw tlogError("tlog: invalid inputs in CheckTree");
        }
        Hash[] oldNew = runTreeProof(p, 0, t, n, h);
        if (!oldNew[0].equals(h) || !oldNew[1].equals(th)) {
            throw tlogError(PROOF_FAILED);
        }
    }

    private static List<Long> leafProofIndex(long lo, long hi, long n, List<Long> need) {
        checkRange(lo <= n && n < hi);
        if (lo + 1 == hi) {
            return need;
        }
        long k = Tlog.maxpow2(hi - lo)[0];
        if (n < lo + k) {
            leafProofIndex(lo, lo + k, n, need);
            Tlog.subTreeIndex(lo + k, hi, need);
        } else {
            Tlog.subTreeIndex(lo, lo + k, need);
            leafProofIndex(lo + k, hi, n, need);
        }
        return need;
    }

    private static List<Hash> leafProof(long lo, long hi, long n, Tlog.Cursor c) {
        checkRange(lo <= n && n < hi);
        if (lo + 1 == hi) {
            return new ArrayList<>();
        }
        // Walk toward n, recording the hash of the side not taken.
        List<Hash> p;
        Hash sibling;
        long k = Tlog.maxpow2(hi - lo)[0];
        if (n < lo + k) {
            p = leafProof(lo, lo + k, n, c);
            sibling = Tlog.subTreeHash(lo + k, hi, c);
        } else {
            sibling = Tlog.subTreeHash(lo, lo + k, c);
            p = leafProof(lo + k, hi, n, c);
        }
        p.add(sibling);
        return p;
    }

    /** The root of [lo, hi) implied by proof p for leaf n with the given hash. */
    private static Hash runRecordProof(List<Hash> p, long lo, long hi, long n, Hash leafHash) throws GoModException {
        checkRange(lo <= n && n < hi);
        if (lo + 1 == hi) {
            if (!p.isEmpty()) {
                throw tlogError(PROOF_FAILED);
            }
            return leafHash;
        }
        if (p.isEmpty()) {
            throw tlogError(PROOF_FAILED);
        }
        List<Hash> rest = p.subList(0, p.size() - 1);
        Hash sibling = p.get(p.size() - 1);
        long k = Tlog.maxpow2(hi - lo)[0];
        if (n < lo + k) {
            return Tlog.nodeHash(runRecordProof(rest, lo, lo + k, n, leafHash), sibling);
        }
        return Tlog.nodeHash(sibling, runRecordProof(rest, lo + k, hi, n, leafHash));
    }

    private static List<Long> treeProofIndex(long lo, long hi, long n, List<Long> need) {
        checkRange(lo < n && n <= hi);
        if (n == hi) {
            return lo == 0 ? need : Tlog.subTreeIndex(lo, hi, need);
        }
        long k = Tlog.maxpow2(hi - lo)[0];
        if (n <= lo + k) {
            treeProofIndex(lo, lo + k, n, need);
            Tlog.subTreeIndex(lo + k, hi, need);
        } else {
            Tlog.subTreeIndex(lo, lo + k, need);
            treeProofIndex(lo + k, hi, n, need);
        }
        return need;
    }

    private static List<Hash> treeProof(long lo, long hi, long n, Tlog.Cursor c) {
        checkRange(lo < n && n <= hi);
        if (n == hi) {
            List<Hash> p = new ArrayList<>();
            // The whole old tree is known to the verifier; any other meeting point is not.
            if (lo != 0) {
                p.add(Tlog.subTreeHash(lo, hi, c));
            }
            return p;
        }
        List<Hash> p;
        Hash sibling;
        long k = Tlog.maxpow2(hi - lo)[0];
        if (n <= lo + k) {
            p = treeProof(lo, lo + k, n, c);
            sibling = Tlog.subTreeHash(lo + k, hi, c);
        } else {
            sibling = Tlog.subTreeHash(lo, lo + k, c);
            p = treeProof(lo + k, hi, n, c);
        }
        p.add(sibling);
        return p;
    }

    /** The hashes {old, new} of [lo, hi) implied by proof p, where old is the old tree's hash. */
    private static Hash[] runTreeProof(List<Hash> p, long lo, long hi, long n, Hash old) throws GoModException {
        checkRange(lo < n && n <= hi);
        if (n == hi) {
            if (lo == 0) {
                if (!p.isEmpty()) {
                    throw tlogError(PROOF_FAILED);
                }
                return new Hash[] {old, old};
            }
            if (p.size() != 1) {
                throw tlogError(PROOF_FAILED);
            }
            return new Hash[] {p.get(0), p.get(0)};
        }
        if (p.isEmpty()) {
            throw tlogError(PROOF_FAILED);
        }
        List<Hash> rest = p.subList(0, p.size() - 1);
        Hash sibling = p.get(p.size() - 1);
        long k = Tlog.maxpow2(hi - lo)[0];
        if (n <= lo + k) {
            Hash[] sub = runTreeProof(rest, lo, lo + k, n, old);
            return new Hash[] {sub[0], Tlog.nodeHash(sub[1], sibling)};
        }
        Hash[] sub = runTreeProof(rest, lo + k, hi, n, old);
        return new Hash[] {Tlog.nodeHash(sibling, sub[0]), Tlog.nodeHash(sibling, sub[1])};
    }

    private static void checkRange(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("tlog: bad math in proof");
        }
    }

    static GoModException tlogError(String message) {
        return new GoModException(GoModException.Kind.INVALID_TLOG, message);
    }
}
