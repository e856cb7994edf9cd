package dev.modproxy.gomod.tlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.testdata.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tree hashes, stored hashes and proofs of the log of records "leaf i" against x/mod, and RFC 6962 roots (tlog/log-*.tsv, rfc6962-roots.tsv). */
class TlogTest {

    private static MemoryLog log;

    @BeforeAll
    static void buildLog() throws GoModException {
        log = MemoryLog.ofLeaves(100);
    }

    static Stream<Arguments> trees() {
        return TestData.rows("tlog/log-trees.tsv").stream().map(r -> Arguments.of(Long.parseLong(r[0]), Long.parseLong(r[1]), r[2]));
    }

    static Stream<Arguments> storedHashes() {
        return TestData.rows("tlog/log-stored-hashes.tsv").stream()
                .map(r -> Arguments.of(Long.parseLong(r[0]), Integer.parseInt(r[1]), Long.parseLong(r[2]), r[3]));
    }

    static Stream<Arguments> proofs() {
        return TestData.rows("tlog/log-proofs.tsv").stream()
                .map(r -> Arguments.of(r[0], Long.parseLong(r[1]), Long.parseLong(r[2]), r[3]));
    }

    /** Tree hashes and stored-hash counts x/mod computed for the log of "leaf i" records. */
    @ParameterizedTest(name = "tree size {0}")
    @MethodSource("trees")
    void treeHashMatchesXMod(long n, long storedCount, String hash) throws GoModException {
        assertEquals(storedCount, Tlog.storedHashCount(n));
        assertEquals(hash, log.treeHash(n).toString());
        assertEquals(hash, Tlog.treeHash(n, log).toString());
    }

    /** Every stored hash of that log, with its (level, n) coordinates, as x/mod stored it. */
    @ParameterizedTest(name = "stored index {0}")
    @MethodSource("storedHashes")
    void storedHashesMatchXMod(long index, int level, long n, String hash) {
        assertEquals(hash, log.stored.get((int) index).toString());
        assertArrayEquals(new long[] {level, n}, Tlog.splitStoredHashIndex(index));
        assertEquals(index, Tlog.storedHashIndex(level, n));
    }

    @Test
    void storesExactlyTheHashesXModStores() {
        assertEquals(TestData.rows("tlog/log-stored-hashes.tsv").size(), log.stored.size());
    }

    /** Record and tree proofs x/mod built for that log: ours are identical and check. */
    @ParameterizedTest(name = "{0} proof t={1} n={2}")
    @MethodSource("proofs")
    void proofsMatchXMod(String kind, long t, long n, String expected) throws GoModException {
        List<Hash> p = kind.equals("record") ? Proofs.proveRecord(t, n, log) : Proofs.proveTree(t, n, log);
        assertEquals(expected, p.isEmpty() ? "-" : String.join(",", p.stream().map(Hash::toString).toList()));
        if (kind.equals("record")) {
            Proofs.checkRecord(p, t, log.treeHash(t), n, log.recordHashes.get((int) n));
        } else {
            Proofs.checkTree(p, t, log.treeHash(t), n, log.treeHash(n));
        }
    }

    /** Certificate Transparency's reference tree (RFC 6962 test leaves), grown one leaf at a time. */
    @Test
    void rootsMatchCertificateTransparency() throws GoModException {
        MemoryLog ct = new MemoryLog();
        for (String[] row : TestData.rows("tlog/rfc6962-roots.tsv")) {
            ct.append(java.util.HexFormat.of().parseHex(row[1]));
            assertEquals(row[2], java.util.HexFormat.of().formatHex(ct.treeHash(Long.parseLong(row[0])).bytes()));
        }
        assertEquals(8, ct.size());
    }

    /** x/mod TestSplitStoredHashIndex. */
    @Test
    void splitStoredHashIndexInvertsStoredHashIndex() {
        for (int l = 0; l < 10; l++) {
            for (long n = 0; n < 100; n++) {
                long x = Tlog.storedHashIndex(l, n);
                assertArrayEquals(new long[] {l, n}, Tlog.splitStoredHashIndex(x), "index " + x);
            }
        }
    }

    @Test
    void rejectsInvalidProofInputs() {
        assertEquals("tlog: invalid inputs in ProveRecord",
                assertThrows(GoModException.class, () -> Proofs.proveRecord(5, 5, log)).getMessage());
        assertEquals("tlog: invalid inputs in CheckRecord",
                assertThrows(GoModException.class, () -> Proofs.checkRecord(List.of(), 5, Hash.ZERO, -1, Hash.ZERO)).getMessage());
        assertEquals("tlog: invalid inputs in ProveTree",
                assertThrows(GoModException.class, () -> Proofs.proveTree(5, 0, log)).getMessage());
        assertEquals("tlog: invalid inputs in CheckTree",
                assertThrows(GoModException.class, () -> Proofs.checkTree(List.of(), 5, Hash.ZERO, 6, Hash.ZERO)).getMessage());
        HashReader shortReader = indexes -> List.of();
        assertEquals("tlog: ReadHashes(3 indexes) = 0 hashes",
                assertThrows(GoModException.class, () -> Tlog.treeHash(7, shortReader)).getMessage());
    }

    @Test
    void hashTextForm() throws GoModException {
        Hash h = Tlog.recordHash("hello world".getBytes(StandardCharsets.UTF_8));
        assertEquals("TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=", h.toString());
        assertEquals(h, Hash.parse(h.toString()));
        assertEquals("malformed hash", assertThrows(GoModException.class, () -> Hash.parse("AAAA")).getMessage());
        assertEquals(Hash.ZERO, Tlog.treeHash(0, log));
    }

    /**
     * x/mod TestTree: grow a log to 100 records with tiles of height 2 and, at every size, check
     * stored hash counts, tiles (each extends the last, all are readable), every record proof and
     * every tree proof (also through a TileHashReader), and that corrupted proofs fail.
     */
    @Test
    void growingLogKeepsEveryProofValid() throws GoModException {
        final int testH = 2;
        MemoryLog grown = new MemoryLog();
        Map<Tile, byte[]> tiles = new HashMap<>();
        for (long i = 0; i < 100; i++) {
            int oldStorage = grown.stored.size();
            grown.append(("leaf " + i).getBytes(StandardCharsets.UTF_8));
            assertEquals(Tlog.storedHashCount(i + 1), grown.stored.size());
            Hash th = grown.treeHash(i + 1);

            for (Tile tile : Tiles.newTiles(testH, i, i + 1)) {
                byte[] data = Tiles.readTileData(tile, grown);
                byte[] oldData = tile.w() == 1 ? new byte[0]
                        : tiles.get(new Tile(tile.h(), tile.l(), tile.n(), tile.w() - 1));
                assertTrue(oldData != null && oldData.length == data.length - Hash.SIZE
                        && java.util.Arrays.equals(oldData, 0, oldData.length, data, 0, oldData.length),
                        "tile " + tile + " does not extend the earlier tile");
                tiles.put(tile, data);
            }
            for (long from : new long[] {0, i / 2}) {
                for (Tile tile : Tiles.newTiles(testH, from, i + 1)) {
                    assertArrayEquals(tiles.get(tile), Tiles.readTileData(tile, grown), "mismatch at " + tile);
                }
            }
            for (int j = oldStorage; j < grown.stored.size(); j++) {
                Tile tile = Tiles.tileForIndex(testH, j);
                byte[] data = tiles.get(tile);
                assertTrue(data != null, "TileForIndex(" + testH + ", " + j + ") = " + tile + " not yet stored");
                assertEquals(grown.stored.get(j), Tiles.hashFromTile(tile, data, j));
            }

            for (long j = 0; j <= i; j++) {
                List<Hash> p = Proofs.proveRecord(i + 1, j, grown);
                Proofs.checkRecord(p, i + 1, th, j, grown.recordHashes.get((int) j));
                for (int k = 0; k < p.size(); k++) {
                    List<Hash> bad = corrupt(p, k);
                    long t = i + 1;
                    long jj = j;
                    assertThrows(GoModException.class, () -> Proofs.checkRecord(bad, t, th, jj, grown.recordHashes.get((int) jj)));
                }
            }

            TileStore store = new TileStore(testH, tiles);
            TileHashReader thr = new TileHashReader(new Tree(i + 1, th), store);
            for (long j = 0; j <= i; j++) {
                assertEquals(List.of(grown.recordHashes.get((int) j)), thr.readHashes(new long[] {Tlog.storedHashIndex(0, j)}));
                List<Hash> p = Proofs.proveRecord(i + 1, j, thr);
                Proofs.checkRecord(p, i + 1, th, j, grown.recordHashes.get((int) j));
            }
            assertEquals(0, store.unsaved, "TileHashReader did not save tiles");

            long outside = (i + 1) * 2;
            assertEquals("indexes not in tree",
                    assertThrows(GoModException.class, () -> thr.readHashes(new long[] {outside})).getMessage());
            assertEquals(0, store.unsaved);

            for (long j = 0; j <= i; j++) {
                assertEquals(grown.treeHash(j + 1), Tlog.treeHash(j + 1, thr));
                List<Hash> p = Proofs.proveTree(i + 1, j + 1, thr);
                Proofs.checkTree(p, i + 1, th, j + 1, grown.treeHash(j + 1));
                for (int k = 0; k < p.size(); k++) {
                    List<Hash> bad = corrupt(p, k);
                    long t = i + 1;
                    long n = j + 1;
                    assertThrows(GoModException.class, () -> Proofs.checkTree(bad, t, th, n, grown.treeHash(n)));
                }
            }
            assertEquals(0, store.unsaved);
        }
    }

    @Test
    void tileHashReaderRejectsTamperedTiles() throws GoModException {
        Map<Tile, byte[]> tiles = new HashMap<>();
        for (Tile tile : Tiles.newTiles(2, 0, 100)) {
            tiles.put(tile, Tiles.readTileData(tile, log));
        }
        Tile leafTile = new Tile(2, 0, 3, 4);
        byte[] data = tiles.get(leafTile).clone();
        data[5] ^= 1;
        tiles.put(leafTile, data);
        TileStore store = new TileStore(2, tiles);
        TileHashReader thr = new TileHashReader(new Tree(100, log.treeHash(100)), store);
        assertEquals("downloaded inconsistent tile",
                assertThrows(GoModException.class, () -> thr.readHashes(new long[] {Tlog.storedHashIndex(0, 13)})).getMessage());
        assertEquals("downloaded inconsistent tile",
                assertThrows(GoModException.class, () -> new TileHashReader(new Tree(100, Hash.ZERO), store)
                        .readHashes(new long[] {0})).getMessage());
    }

    /** A copy of p with one bit of hash k flipped. */
    static List<Hash> corrupt(List<Hash> p, int k) {
        List<Hash> out = new ArrayList<>(p);
        byte[] b = p.get(k).bytes();
        b[0] ^= 1;
        out.set(k, Hash.of(b));
        return out;
    }

    /** x/mod's testTilesStorage: tiles from a map, counting tiles read but not yet saved. */
    static final class TileStore implements TileReader {
        final int height;
        final Map<Tile, byte[]> tiles;
        int unsaved;

        TileStore(int height, Map<Tile, byte[]> tiles) {
            this.height = height;
            this.tiles = tiles;
        }

        @Override
        public int height() {
            return height;
        }

        @Override
        public List<byte[]> readTiles(List<Tile> wanted) {
            List<byte[]> out = new ArrayList<>();
            for (Tile t : wanted) {
                out.add(tiles.getOrDefault(t, new byte[0]));
            }
            unsaved += wanted.size();
            return out;
        }

        @Override
        public void saveTiles(List<Tile> saved, List<byte[]> data) {
            unsaved -= saved.size();
        }
    }
}
