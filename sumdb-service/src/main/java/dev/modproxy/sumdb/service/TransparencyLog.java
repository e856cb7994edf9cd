package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.note.Note;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.Signer;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.note.Verifiers;
import dev.modproxy.gomod.tlog.Hash;
import dev.modproxy.gomod.tlog.HashReader;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.gomod.tlog.Tiles;
import dev.modproxy.gomod.tlog.Tlog;
import dev.modproxy.gomod.tlog.Tree;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * modproxy's own append-only transparency log, kept in a {@link BlobStore} and safe to append to
 * from several processes at once.
 *
 * <p>The single sequencer is the store itself: the tree of size N exists when the immutable key
 * {@code sumdb/<name>/tree/<N>} does (see {@link LogEntry}), and an immutable put succeeds for
 * exactly one writer. To append, a replica catches up with every entry after the size it knows,
 * checks that its record is not among them (so a record is appended once, whoever asks), and
 * puts the entry for size+1; if another replica's put won, it catches up and tries again. The
 * entry carries the record, the hashes it adds and the signed tree head, all decided before the
 * put, so nothing written after the winning put can disagree with it, and a crash at any point
 * leaves either the whole append or none of it.
 *
 * <p>Each replica mirrors the stored hashes and a module@version → id index in memory (read once
 * at start, then by catching up); record texts are read from storage when needed. Tiles are
 * computed from the mirrored hashes, as x/mod's server computes them from its hash store.
 */
public final class TransparencyLog {

    /** The tile height the go command uses (x/mod's sumdb client). */
    public static final int TILE_HEIGHT = 8;

    private final BlobStore store;
    private final String name;
    private final Signer signer;
    private final Verifiers verifiers;
    private final String prefix;

    /** Held while catching up or appending: at most one storage walk per process at a time. */
    private final Object ioLock = new Object();

    // In-memory mirror, guarded by "this".
    private long size;
    private byte[] hashes = new byte[Hash.SIZE * 1024];
    private long hashCount;
    private final Map<String, Long> index = new HashMap<>();
    private byte[] latestSigned;

    private final Map<Long, String> texts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> e) {
            return size() > 10_000;
        }
    };

    /** The outcome of {@link #append}: the record's id and its text (ours, or the one kept before). */
    public record Appended(long id, String text, boolean added) {
    }

    /**
     * Opens the log {@code name} and reads what is stored of it.
     *
     * @param signerKey the database's signer key; every replica must use the same one
     */
    public TransparencyLog(BlobStore store, String name, String signerKey, String verifierKey)
            throws GoModException, StorageException {
        this.store = store;
        this.name = name;
        this.signer = NoteKeys.newSigner(signerKey);
        this.verifiers = VerifierList.of(NoteKeys.newVerifier(verifierKey));
        if (!signer.name().equals(name)) {
            throw new IllegalArgumentException("the signer key is for " + signer.name() + ", not " + name);
        }
        this.prefix = "sumdb/" + name + "/";
        if (!BlobKey.isValid(prefix + "tree/1")) {
            throw new IllegalArgumentException("checksum database name cannot be a storage key: " + name);
        }
        checkKeyOwnership(verifierKey);
        synchronized (this) {
            latestSigned = sign(new Tree(0, Hash.ZERO));
        }
        catchUp();
    }

    public String name() {
        return name;
    }

    /**
     * The first replica records the verifier key in storage; a replica started with another key
     * refuses to run, since two keys signing one log would make every client see a fork.
     */
    private void checkKeyOwnership(String verifierKey) throws StorageException {
        BlobKey key = BlobKey.of(prefix + "verifier-key");
        byte[] mine = verifierKey.getBytes(StandardCharsets.UTF_8);
        store.put(key, new ByteArrayInputStream(mine), mine.length, WriteMode.IMMUTABLE);
        byte[] kept = read(key).orElseThrow(() -> new StorageException("storage lost " + key));
        if (!Arrays.equals(kept, mine)) {
            throw new IllegalStateException("the log " + name + " in storage is signed by another key ("
                    + new String(kept, StandardCharsets.UTF_8).strip() + "); configure that key's signer");
        }
    }

    public synchronized long size() {
        return size;
    }

    /** The signed head of the newest tree, after reading what other replicas appended. */
    public byte[] latest() throws GoModException, StorageException {
        catchUp();
        synchronized (this) {
            return latestSigned.clone();
        }
    }

    /** The record id of {@code module version}, looking for appends by other replicas on a miss. */
    public Optional<Long> lookup(String module, String version) throws GoModException, StorageException {
        String key = module + " " + version;
        synchronized (this) {
            Long id = index.get(key);
            if (id != null) {
                return Optional.of(id);
            }
        }
        catchUp();
        synchronized (this) {
            return Optional.ofNullable(index.get(key));
        }
    }

    /**
     * Appends a record unless one for the same module version is in the log already; then that
     * one's id and text are returned and nothing is written.
     *
     * @param text the record: go.sum lines whose first line starts with {@code <module> <version> }
     */
    public Appended append(String text) throws GoModException, StorageException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        new Record(0, text); // validates the text
        String key = recordKey(text);
        synchronized (ioLock) {
            while (true) {
                catchUpLocked();
                long n;
                Long existing;
                synchronized (this) {
                    existing = index.get(key);
                    n = size;
                }
                if (existing != null) {
                    return new Appended(existing, readRecord(existing), false);
                }
                List<Hash> added = Tlog.storedHashes(n, data, this::readHashes);
                Hash th = Tlog.treeHash(n + 1, withPending(n, added));
                LogEntry entry = new LogEntry(n, added, text, sign(new Tree(n + 1, th)));
                byte[] blob = entry.format();
                if (store.put(treeKey(n + 1), new ByteArrayInputStream(blob), blob.length, WriteMode.IMMUTABLE)) {
                    apply(entry, key);
                    return new Appended(n, text, true);
                }
                // Another replica appended record n first: catch up and try at the next position.
            }
        }
    }

    /** Reads every entry stored after the size known here. */
    public void catchUp() throws GoModException, StorageException {
        synchronized (ioLock) {
            catchUpLocked();
        }
    }

    private void catchUpLocked() throws GoModException, StorageException {
        while (true) {
            long next = size() + 1;
            Optional<byte[]> blob = read(treeKey(next));
            if (blob.isEmpty()) {
                return;
            }
            LogEntry e = LogEntry.parse(blob.get());
            long id = next - 1;
            byte[] data = e.text().getBytes(StandardCharsets.UTF_8);
            List<Hash> expect = Tlog.storedHashes(id, data, this::readHashes);
            Tree tree = new Tree(next, Tlog.treeHash(next, withPending(id, expect)));
            Note note = Notes.open(e.signedTree(), verifiers);
            if (e.id() != id || !expect.equals(e.hashes()) || !Tree.parse(
                    note.text().getBytes(StandardCharsets.UTF_8)).equals(tree)) {
                throw new GoModException(GoModException.Kind.INVALID_TLOG,
                        "log " + name + " entry " + treeKey(next) + " does not extend the tree of size " + id);
            }
            apply(e, recordKey(e.text()));
        }
    }

    private synchronized void apply(LogEntry e, String key) {
        long need = (hashCount + e.hashes().size()) * Hash.SIZE;
        if (need > hashes.length) {
            hashes = Arrays.copyOf(hashes, (int) Math.max(need, hashes.length * 2L));
        }
        for (Hash h : e.hashes()) {
            System.arraycopy(h.bytes(), 0, hashes, (int) (hashCount * Hash.SIZE), Hash.SIZE);
            hashCount++;
        }
        index.put(key, e.id());
        texts.put(e.id(), e.text());
        size = e.id() + 1;
        latestSigned = e.signedTree();
    }

    /** The stored hashes at the given indexes, from the in-memory mirror. */
    private synchronized List<Hash> readHashes(long[] indexes) throws GoModException {
        List<Hash> out = new ArrayList<>(indexes.length);
        for (long i : indexes) {
            if (i < 0 || i >= hashCount) {
                throw new GoModException(GoModException.Kind.INVALID_TLOG, "hash " + i + " is not in the log");
            }
            out.add(Hash.of(hashes, (int) (i * Hash.SIZE)));
        }
        return out;
    }

    /** A reader of the stored hashes as they will be once record n adds {@code pending}. */
    private HashReader withPending(long n, List<Hash> pending) {
        long base = Tlog.storedHashIndex(0, n);
        return indexes -> {
            List<Hash> out = new ArrayList<>(indexes.length);
            for (long i : indexes) {
                out.add(i >= base ? pending.get((int) (i - base)) : readHashes(new long[] {i}).get(0));
            }
            return out;
        };
    }

    /** The text of record id, which must be in the log. */
    public String readRecord(long id) throws GoModException, StorageException {
        synchronized (this) {
            if (id < 0 || id >= size) {
                throw new GoModException(GoModException.Kind.INVALID_TLOG, "record " + id + " is not in the log");
            }
            String t = texts.get(id);
            if (t != null) {
                return t;
            }
        }
        byte[] blob = read(treeKey(id + 1)).orElseThrow(() -> new StorageException("storage lost " + treeKey(id + 1)));
        String text = LogEntry.parse(blob).text();
        synchronized (this) {
            texts.put(id, text);
        }
        return text;
    }

    /**
     * The data of a tile of the current tree (hash tiles: the hashes; data tiles: the records
     * as a lookup serves them, concatenated), or empty if the tree does not have it yet.
     */
    public Optional<byte[]> readTile(Tile t) throws GoModException, StorageException {
        catchUp();
        long have;
        synchronized (this) {
            have = size;
        }
        long first = t.n() << t.h();
        if (t.l() < 0) {
            if (first + t.w() > have) {
                return Optional.empty();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (long id = first; id < first + t.w(); id++) {
                out.writeBytes(Record.format(id, readRecord(id).getBytes(StandardCharsets.UTF_8)));
            }
            return Optional.of(out.toByteArray());
        }
        long levelBits = (long) t.h() * t.l();
        long atLevel = levelBits >= 63 ? 0 : have >> levelBits;
        if (first + t.w() > atLevel) {
            return Optional.empty();
        }
        return Optional.of(Tiles.readTileData(t, this::readHashes));
    }

    private byte[] sign(Tree tree) throws GoModException {
        return Notes.sign(Note.of(new String(tree.format(), StandardCharsets.UTF_8)), signer);
    }

    private BlobKey treeKey(long n) {
        return BlobKey.of(prefix + "tree/" + n);
    }

    /** "module version" from a record's first line {@code <module> <version> h1:...}. */
    static String recordKey(String text) throws GoModException {
        String first = text.substring(0, Math.max(0, text.indexOf('\n')));
        String[] f = first.split(" ");
        if (f.length != 3) {
            throw new GoModException(GoModException.Kind.INVALID_TLOG, "record does not start with a go.sum line");
        }
        return f[0] + " " + f[1];
    }

    private Optional<byte[]> read(BlobKey key) throws StorageException {
        Optional<Blob> blob = store.get(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try (Blob b = blob.get()) {
            return Optional.of(b.stream().readAllBytes());
        } catch (IOException e) {
            throw new StorageException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }
}
