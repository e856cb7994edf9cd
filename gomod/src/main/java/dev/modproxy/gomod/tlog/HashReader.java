package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.List;

/**
 * Reads stored hashes of a log's tree by their stored hash index (x/mod's
 * {@code tlog.HashReader}; see {@link Tlog#storedHashIndex}). A reader must return exactly one
 * hash per index asked for, in the order asked; {@link #readChecked} turns a reader that does
 * not into x/mod's error rather than a wrong proof.
 */
@FunctionalInterface
public interface HashReader {

    /**
     * Returns the hashes at the given indexes, one per index in order, or throws. The functions
     * of this package always ask in increasing order, which a reader may exploit.
     */
    List<Hash> readHashes(long[] indexes) throws GoModException;

    /** Reads and checks that one hash came back per index (x/mod's words if not). */
    static List<Hash> readChecked(HashReader r, long[] indexes) throws GoModException {
        List<Hash> hashes = r.readHashes(indexes);
        if (hashes.size() != indexes.length) {
            throw new GoModException(GoModException.Kind.INVALID_TLOG,
                    "tlog: ReadHashes(" + indexes.length + " indexes) = " + hashes.size() + " hashes");
        }
        return hashes;
    }
}
