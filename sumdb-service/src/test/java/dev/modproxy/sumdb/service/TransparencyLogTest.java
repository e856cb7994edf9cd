package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.tlog.Hash;
import dev.modproxy.gomod.tlog.Proofs;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.gomod.tlog.TileHashReader;
import dev.modproxy.gomod.tlog.TileReader;
import dev.modproxy.gomod.tlog.Tlog;
import dev.modproxy.gomod.tlog.Tree;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.fs.FsBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransparencyLogTest {

    private static final String NAME = "sum.test.local";
    private static final NoteKeys.KeyPair KEYS = NoteKeys.generateKey(NAME);

    @TempDir
    Path dir;

    private TransparencyLog open(BlobStore store) throws Exception {
        return new TransparencyLog(store, NAME, KEYS.signerKey(), KEYS.verifierKey());
    }

    static String text(int i) {
        String mv = "example.com/m" + i + " v1.0." + i;
        String h = "h1:" + java.util.Base64.getEncoder().encodeToString(Hash.of(new byte[32]).bytes());
        return mv + " " + h + "\n" + mv + "/go.mod " + h + "\n";
    }

    @Test
    void twoSequencersOnOneStorageAppendAThousandRecordsIntoOneLog() throws Exception {
        BlobStore storeA = new FsBlobStore(dir);
        BlobStore storeB = new FsBlobStore(dir);
        TransparencyLog a = open(storeA);
        TransparencyLog b = open(storeB);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<TransparencyLog.Appended>> results = new ArrayList<>();
        // Every record is asked of both sequencers, from different threads, at about the same time.
        for (int i = 0; i < 1000; i++) {
            String t = text(i);
            results.add(pool.submit(() -> a.append(t)));
            results.add(pool.submit(() -> b.append(t)));
        }
        int added = 0;
        for (int i = 0; i < results.size(); i += 2) {
            TransparencyLog.Appended x = results.get(i).get();
            TransparencyLog.Appended y = results.get(i + 1).get();
            assertEquals(x.id(), y.id(), "both sequencers give one id for one record");
            added += (x.added() ? 1 : 0) + (y.added() ? 1 : 0);
        }
        pool.shutdown();
        assertEquals(1000, added, "each record appended exactly once");

        a.catchUp();
        b.catchUp();
        assertEquals(1000, a.size());
        assertArrayEquals(a.latest(), b.latest(), "one log, one signed head");
        Tree tree = checkWholeLog(a, 1000);
        assertEquals(tree, checkWholeLog(b, 1000));
    }

    /** Rebuilds the tree from the records alone, and checks the signed head and every record's lookup. */
    private Tree checkWholeLog(TransparencyLog log, int n) throws Exception {
        List<Hash> stored = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (long id = 0; id < n; id++) {
            String t = log.readRecord(id);
            assertTrue(seen.add(t), "record appended twice: " + t);
            stored.addAll(Tlog.storedHashes(id, t.getBytes(StandardCharsets.UTF_8), idx -> pick(stored, idx)));
            String[] f = t.split(" ", 3);
            assertEquals(id, log.lookup(f[0], f[1]).orElseThrow());
        }
        Tree want = new Tree(n, Tlog.treeHash(n, idx -> pick(stored, idx)));
        var note = Notes.open(log.latest(), VerifierList.of(NoteKeys.newVerifier(KEYS.verifierKey())));
        assertEquals(want, Tree.parse(note.text().getBytes(StandardCharsets.UTF_8)));
        return want;
    }

    private static List<Hash> pick(List<Hash> all, long[] idx) {
        List<Hash> out = new ArrayList<>();
        for (long i : idx) {
            out.add(all.get((int) i));
        }
        return out;
    }

    @Test
    void aRestartKeepsTheLogAndTheTreeOnlyGrows() throws Exception {
        TransparencyLog first = open(new FsBlobStore(dir));
        for (int i = 0; i < 300; i++) {
            first.append(text(i));
        }
        Tree before = treeOf(first);

        TransparencyLog second = open(new FsBlobStore(dir));
        assertEquals(300, second.size());
        assertArrayEquals(first.latest(), second.latest());
        assertFalse(second.append(text(7)).added(), "a record kept before the restart is not appended again");
        for (int i = 300; i < 700; i++) {
            second.append(text(i));
        }
        Tree after = treeOf(second);
        // The new tree contains the old one, proven through the tiles the log serves.
        List<Hash> proof = Proofs.proveTree(after.n(), before.n(), new TileHashReader(after, tilesOf(second)));
        Proofs.checkTree(proof, after.n(), after.hash(), before.n(), before.hash());
        checkWholeLog(second, 700);
    }

    @Test
    void servedTilesProveEveryRecordsInclusion() throws Exception {
        TransparencyLog log = open(new FsBlobStore(dir));
        for (int i = 0; i < 600; i++) {
            log.append(text(i));
        }
        Tree tree = treeOf(log);
        TileHashReader reader = new TileHashReader(tree, tilesOf(log));
        for (long id : new long[] {0, 1, 255, 256, 511, 599}) {
            byte[] data = log.readRecord(id).getBytes(StandardCharsets.UTF_8);
            List<Hash> proof = Proofs.proveRecord(tree.n(), id, reader);
            Proofs.checkRecord(proof, tree.n(), tree.hash(), id, Tlog.recordHash(data));
        }
        // A data tile holds the records as a lookup serves them.
        byte[] dataTile = log.readTile(new Tile(8, -1, 2, 88)).orElseThrow();
        Record.Parsed first = Record.parse(dataTile);
        assertEquals(512, first.record().id());
        assertTrue(log.readTile(new Tile(8, -1, 2, 89)).isEmpty(), "no tile beyond the tree");
        assertTrue(log.readTile(new Tile(8, 0, 2, 89)).isEmpty(), "no tile beyond the tree");
        assertTrue(log.readTile(new Tile(8, 1, 0, 3)).isEmpty(), "level 1 has two hashes only");
        assertEquals(2 * 32, log.readTile(new Tile(8, 1, 0, 2)).orElseThrow().length);
    }

    @Test
    void aReplicaWithAnotherKeyRefusesTheLog() throws Exception {
        open(new FsBlobStore(dir)).append(text(1));
        NoteKeys.KeyPair other = NoteKeys.generateKey(NAME);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TransparencyLog(new FsBlobStore(dir), NAME, other.signerKey(), other.verifierKey()));
        assertTrue(e.getMessage().contains("another key"), e.getMessage());
    }

    @Test
    void recordsMustBeGoSumLines() throws Exception {
        TransparencyLog log = open(new FsBlobStore(dir));
        assertThrows(GoModException.class, () -> log.append("no-version\n"));
        assertThrows(IllegalArgumentException.class, () -> log.append("a v1.0.0 h1:x\n\nblank line\n"));
        assertEquals(0, log.size());
    }

    private static Tree treeOf(TransparencyLog log) throws Exception {
        var note = Notes.open(log.latest(), VerifierList.of(NoteKeys.newVerifier(KEYS.verifierKey())));
        return Tree.parse(note.text().getBytes(StandardCharsets.UTF_8));
    }

    private static TileReader tilesOf(TransparencyLog log) {
        return new TileReader() {
            @Override
            public int height() {
                return TransparencyLog.TILE_HEIGHT;
            }

            @Override
            public List<byte[]> readTiles(List<Tile> tiles) throws GoModException {
                List<byte[]> out = new ArrayList<>();
                for (Tile t : tiles) {
                    try {
                        out.add(log.readTile(t).orElseThrow());
                    } catch (java.io.IOException e) {
                        throw new GoModException(GoModException.Kind.INVALID_TLOG, e.getMessage());
                    }
                }
                return out;
            }

            @Override
            public void saveTiles(List<Tile> tiles, List<byte[]> data) {
            }
        };
    }
}
