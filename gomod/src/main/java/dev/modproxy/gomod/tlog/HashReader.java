package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.util.List;

/** Reads stored hashes of a log's tree by their stored hash index (see {@link Tlog#storedHashIndex}). */
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
