package dev.modproxy.gomod.tlog;

import dev.modproxy.gomod.GoModException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory log for tests: the stored hashes of records appended one by one. As a
 * {@link HashReader} it insists that indexes come in increasing order, which x/mod's tests also
 * check of every function that reads hashes.
 */
final class MemoryLog implements HashReader {

    final List<Hash> stored = new ArrayList<>();
    final List<Hash> recordHashes = new ArrayList<>();
    final List<Hash> treeHashes = new ArrayList<>();

    /** A log of n records "leaf 0" .. "leaf n-1", as x/mod's TestTree builds. */
    static MemoryLog ofLeaves(int n) throws GoModException {
        MemoryLog log = new MemoryLog();
        for (int i = 0; i < n; i++) {
            log.append(("leaf " + i).getBytes(StandardCharsets.UTF_8));
        }
        return log;
    }

    /** Appends a record and returns the stored hashes it added. */
    List<Hash> append(byte[] data) throws GoModException {
        long n = recordHashes.size();
        List<Hash> added = Tlog.storedHashes(n, data, this);
        stored.addAll(added);
        recordHashes.add(Tlog.recordHash(data));
        treeHashes.add(Tlog.treeHash(n + 1, this));
        return added;
    }

    long size() {
        return recordHashes.size();
    }

    /** The root hash of the tree of the first n records. */
    Hash treeHash(long n) {
        return n == 0 ? Hash.ZERO : treeHashes.get((int) n - 1);
    }

    @Override
    public List<Hash> readHashes(long[] indexes) {
        List<Hash> out = new ArrayList<>();
        for (int i = 0; i < indexes.length; i++) {
            if (i > 0 && indexes[i - 1] >= indexes[i]) {
                throw new AssertionError("indexes out of order");
            }
            out.add(stored.get((int) indexes[i]));
        }
        return out;
    }
}
