package dev.modproxy.gomod.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modproxy.gomod.GoModException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Proofs on random logs check, tampered ones do not; tile paths and tree notes round-trip. */
class TlogProperties {

    @Provide
    Arbitrary<List<byte[]>> records() {
        // Sizes drawn uniformly, so that large trees are as likely as small ones.
        Arbitrary<byte[]> record = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.integers().between(1, 300).flatMap(n -> record.list().ofSize(n));
    }

    /** Every inclusion proof of a random log checks; a corrupted one, or a wrong leaf or root, does not. */
    @Property(tries = 40)
    void everyInclusionProofChecks(@ForAll("records") List<byte[]> records, @ForAll long seed) throws GoModException {
        MemoryLog log = build(records);
        long t = log.size();
        Hash root = log.treeHash(t);
        java.util.Random random = new java.util.Random(seed);
        for (long n = 0; n < t; n++) {
            List<Hash> p = Proofs.proveRecord(t, n, log);
            Hash leaf = log.recordHashes.get((int) n);
            Proofs.checkRecord(p, t, root, n, leaf);

            long nn = n;
            if (!p.isEmpty()) {
                List<Hash> bad = TlogTest.corrupt(p, random.nextInt(p.size()));
                assertThrows(GoModException.class, () -> Proofs.checkRecord(bad, t, root, nn, leaf));
                assertThrows(GoModException.class, () -> Proofs.checkRecord(p.subList(1, p.size()), t, root, nn, leaf));
            }
            List<Hash> longer = new ArrayList<>(p);
            longer.add(root);
            assertThrows(GoModException.class, () -> Proofs.checkRecord(longer, t, root, nn, leaf));
            assertThrows(GoModException.class, () -> Proofs.checkRecord(p, t, root, nn, Tlog.nodeHash(leaf, leaf)));
            Hash wrongRoot = TlogTest.corrupt(List.of(root), 0).get(0);
            assertThrows(GoModException.class, () -> Proofs.checkRecord(p, t, wrongRoot, nn, leaf));
        }
    }

    /** Consistency proofs between random sizes n <= m of a random log check; tampered ones fail. */
    @Property(tries = 40)
    void consistencyProofsCheck(@ForAll("records") List<byte[]> records, @ForAll long seed) throws GoModException {
        MemoryLog log = build(records);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 30; i++) {
            long m = 1 + random.nextInt((int) log.size());
            long n = 1 + random.nextInt((int) m);
            Hash newRoot = log.treeHash(m);
            Hash oldRoot = log.treeHash(n);
            List<Hash> p = Proofs.proveTree(m, n, log);
            Proofs.checkTree(p, m, newRoot, n, oldRoot);
            assertEquals(Tlog.treeHash(n, log), oldRoot);

            if (!p.isEmpty()) {
                List<Hash> bad = TlogTest.corrupt(p, random.nextInt(p.size()));
                assertThrows(GoModException.class, () -> Proofs.checkTree(bad, m, newRoot, n, oldRoot));
            }
            if (n < m) {
                assertThrows(GoModException.class, () -> Proofs.checkTree(p, m, oldRoot, n, oldRoot));
                assertThrows(GoModException.class, () -> Proofs.checkTree(p, m, newRoot, n, newRoot));
            }
        }
    }

    /** Hashes read through a TileHashReader are those stored, for random logs and tile heights. */
    @Property(tries = 20)
    void tileHashReaderReturnsStoredHashes(@ForAll("records") List<byte[]> records,
            @ForAll @IntRange(min = 1, max = 4) int height, @ForAll long seed) throws GoModException {
        MemoryLog log = build(records);
        long t = log.size();
        java.util.Map<Tile, byte[]> tiles = new java.util.HashMap<>();
        for (Tile tile : Tiles.newTiles(height, 0, t)) {
            tiles.put(tile, Tiles.readTileData(tile, log));
        }
        TileHashReader thr = new TileHashReader(new Tree(t, log.treeHash(t)), new TlogTest.TileStore(height, tiles));
        java.util.Random random = new java.util.Random(seed);
        long n = random.nextLong(t);
        assertEquals(List.of(log.recordHashes.get((int) n)), thr.readHashes(new long[] {Tlog.storedHashIndex(0, n)}));
        assertEquals(Proofs.proveRecord(t, n, log), Proofs.proveRecord(t, n, thr));
    }

    @Provide
    Arbitrary<Tile> tiles() {
        Arbitrary<Integer> heights = Arbitraries.integers().between(1, 30);
        return heights.flatMap(h -> Combinators.combine(
                Arbitraries.integers().between(-1, 63),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.integers().between(1, 1 << h))
                .as((l, n, w) -> new Tile(h, l, n, w)));
    }

    /** A tile's path parses back to the tile. */
    @Property
    void tilePathRoundTrips(@ForAll("tiles") Tile tile) throws GoModException {
        assertEquals(tile, Tile.parse(tile.path()));
    }

    /** A tree note parses back to the tree. */
    @Property
    void treeNoteRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n, @ForAll @Size(32) byte[] hash)
            throws GoModException {
        Tree tree = new Tree(n, Hash.of(hash));
        assertEquals(tree, Tree.parse(tree.format()));
    }

    /** Hash storage coordinates round-trip. */
    @Property
    void storedHashIndexRoundTrips(@ForAll @IntRange(min = 0, max = 40) int level,
            @ForAll @LongRange(min = 0, max = 1L << 20) long n) {
        long index = Tlog.storedHashIndex(level, n);
        long[] split = Tlog.splitStoredHashIndex(index);
        assertEquals(level, split[0]);
        assertEquals(n, split[1]);
    }

    private static MemoryLog build(List<byte[]> records) throws GoModException {
        MemoryLog log = new MemoryLog();
        for (byte[] r : records) {
            log.append(r);
        }
        return log;
    }
}
