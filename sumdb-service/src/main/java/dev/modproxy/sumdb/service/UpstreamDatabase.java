package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.env.PathPatterns;
import dev.modproxy.gomod.env.SumdbSetting;
import dev.modproxy.gomod.note.Note;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.note.Verifiers;
import dev.modproxy.gomod.tlog.Hash;
import dev.modproxy.gomod.tlog.Proofs;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.gomod.tlog.TileHashReader;
import dev.modproxy.gomod.tlog.TileReader;
import dev.modproxy.gomod.tlog.Tlog;
import dev.modproxy.gomod.tlog.Tree;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;
import dev.modproxy.sumdb.client.SumdbHttp;
import dev.modproxy.sumdb.config.SumdbConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream checksum database ({@code modproxy.sumdb.upstream}, GOSUMDB syntax): verifies
 * module hashes against it the way the go command's sumdb client does, and proxies it.
 *
 * <p>Verification of one version: look it up; open the signed tree head that comes with the
 * record using the configured key; check that tree consistent with the newest tree kept (in
 * storage under {@code sumdb/upstream/<name>/latest}, shared by replicas and restarts), keeping
 * the newer one; check the record's inclusion in the tree through tiles (each tile authenticated
 * against the signed tree before use, then cached immutably); compare the hashes. Two signed
 * trees that are not consistent are a fork: proof of misbehaviour. It is written to storage
 * ({@code .../fork}, both notes), counted, logged as an alert, and stops verification until an
 * operator has looked and removed that blob — it is never papered over by trusting the newer
 * tree.
 */
@Startup // a bad key, a foreign log or a bad setting stops the start, not the first request
@ApplicationScoped
public class UpstreamDatabase {

    private static final Logger LOG = Logger.getLogger(UpstreamDatabase.class);
    private static final int MAX_LOOKUP = 1 << 20;
    private static final int MAX_TILE = 8 << 20;

    private final SumdbSetting setting;
    private final PathPatterns nosumdb;
    private final BlobStore store;
    private final MeterRegistry metrics;
    private final SumdbHttp http;
    private final Verifiers verifiers;
    private final String prefix;
    private final long latestTtlNanos;
    private final AtomicInteger forked = new AtomicInteger();

    private final Object mergeLock = new Object();
    private Tree kept;

    private byte[] latestBody;
    private long latestAt;

    public UpstreamDatabase(SumdbConfig config, BlobStore store, MeterRegistry metrics) throws GoModException {
        this.setting = SumdbSetting.parse(config.sumdb().upstream().strip());
        this.nosumdb = new PathPatterns(config.nosumdb().filter(s -> !s.isEmpty())
                .orElse(config.privatePatterns().orElse("")));
        this.store = store;
        this.metrics = metrics;
        this.http = new SumdbHttp(config.sumdb().upstreamTimeout());
        this.verifiers = setting.off() ? VerifierList.of() : VerifierList.of(NoteKeys.newVerifier(setting.key()));
        this.prefix = setting.off() ? "" : "sumdb/upstream/" + setting.name() + "/";
        if (!setting.off() && !BlobKey.isValid(prefix + "latest")) {
            throw new IllegalArgumentException("upstream checksum database name cannot be a storage key: " + setting.name());
        }
        this.latestTtlNanos = config.sumdb().latestTtl().toNanos();
        metrics.gauge("modproxy.sumdb.upstream.fork", forked);
    }

    public boolean isOff() {
        return setting.off();
    }

    /** The upstream database's name, or empty when it is off. */
    public String name() {
        return setting.name();
    }

    public boolean bypasses(String modulePath) {
        return nosumdb.matches(modulePath);
    }

    /** What {@link #verify} found. */
    public record Verified(String status, long recordId, String reason) {
    }

    /** Checks a version's hashes against the upstream database; returns normally only if they agree. */
    public Verified verify(GoSum sum) throws SumdbException {
        if (setting.off()) {
            return new Verified("skipped", -1, "upstream checksum database is off (modproxy.sumdb.upstream=off)");
        }
        if (bypasses(sum.mv().path().value())) {
            return new Verified("skipped", -1, sum.mv().path().value() + " matches modproxy.nosumdb: not verified upstream");
        }
        checkNotForked();
        String url = setting.url() + "/lookup/" + sum.mv().path().escaped() + "@" + sum.mv().escapedVersion();
        byte[] data;
        try {
            data = http.get(url, MAX_LOOKUP);
        } catch (SumdbException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                throw new SumdbException(Kind.NOT_FOUND, sum.mv() + " not found in checksum database "
                        + setting.name() + ": " + e.getMessage());
            }
            throw upstreamFailure(e);
        }
        try {
            Record.Parsed parsed = Record.parse(data);
            Tree tree = openTree(parsed.rest());
            merge(tree, parsed.rest());
            long id = parsed.record().id();
            if (id < 0 || id >= tree.n()) {
                throw failed("record id " + id + " is outside its tree of size " + tree.n());
            }
            byte[] text = parsed.record().text().getBytes(StandardCharsets.UTF_8);
            List<Hash> proof = Proofs.proveRecord(tree.n(), id, new TileHashReader(tree, new Tiles2()));
            Proofs.checkRecord(proof, tree.n(), tree.hash(), id, Tlog.recordHash(text));
            GoSum theirs = GoSum.fromRecord(sum.mv(), parsed.record().text());
            if (!theirs.sameHashes(sum)) {
                metrics.counter("modproxy.sumdb.mismatch", "db", "upstream").increment();
                LOG.warnf("%s", sum.mismatchWith(theirs, setting.name()));
                throw new SumdbException(Kind.MISMATCH, sum.mismatchWith(theirs, setting.name()));
            }
            metrics.counter("modproxy.sumdb.upstream.verified").increment();
            return new Verified("ok", id, "verified against " + setting.name() + " tree " + tree.n());
        } catch (TileFetchFailed e) {
            throw upstreamFailure(e.cause);
        } catch (GoModException e) {
            throw failed(sum.mv() + ": " + e.getMessage());
        }
    }

    private void checkNotForked() throws SumdbException {
        try {
            Optional<byte[]> evidence = read(BlobKey.of(prefix + "fork"));
            forked.set(evidence.isPresent() ? 1 : 0);
            if (evidence.isPresent()) {
                throw new SumdbException(Kind.UPSTREAM_FAILED, "checksum database " + setting.name()
                        + " has forked (evidence in storage at " + prefix + "fork); verification stopped");
            }
        } catch (StorageException e) {
            throw OwnDatabase.storage(e);
        }
    }

    private Tree openTree(byte[] signed) throws GoModException {
        Note note = Notes.open(signed, verifiers);
        return Tree.parse(note.text().getBytes(StandardCharsets.UTF_8));
    }

    /** Checks {@code tree} against the newest tree kept and keeps the newer of the two. */
    private void merge(Tree tree, byte[] signed) throws GoModException, SumdbException {
        synchronized (mergeLock) {
            try {
                BlobKey latestKey = BlobKey.of(prefix + "latest");
                byte[] keptNote = null;
                Optional<byte[]> stored = read(latestKey);
                if (stored.isPresent()) {
                    Tree s = openTree(stored.get());
                    if (kept == null || s.n() > kept.n()) {
                        kept = s;
                        keptNote = stored.get();
                    }
                }
                Tree old = kept;
                if (old != null) {
                    try {
                        Tree big = tree.n() >= old.n() ? tree : old;
                        Tree small = big == tree ? old : tree;
                        if (big.n() == small.n()) {
                            if (!big.hash().equals(small.hash())) {
                                throw new GoModException(GoModException.Kind.INVALID_TLOG, "same size, different hashes");
                            }
                        } else {
                            List<Hash> p = Proofs.proveTree(big.n(), small.n(), new TileHashReader(big, new Tiles2()));
                            Proofs.checkTree(p, big.n(), big.hash(), small.n(), small.hash());
                        }
                    } catch (TileFetchFailed e) {
                        throw e;
                    } catch (GoModException e) {
                        fork(old, keptNote != null ? keptNote : old.format(), tree, signed, e.getMessage());
                    }
                }
                if (old == null || tree.n() > old.n()) {
                    store.put(latestKey, new ByteArrayInputStream(signed), signed.length, WriteMode.REPLACE);
                    kept = tree;
                }
            } catch (StorageException e) {
                throw OwnDatabase.storage(e);
            }
        }
    }

    private void fork(Tree old, byte[] oldNote, Tree tree, byte[] signed, String why) throws SumdbException, StorageException {
        forked.set(1);
        metrics.counter("modproxy.sumdb.upstream.forks").increment();
        String evidence = "checksum database " + setting.name() + " fork: " + why + "\n\nkept tree:\n"
                + new String(oldNote, StandardCharsets.UTF_8) + "\nnew tree:\n" + new String(signed, StandardCharsets.UTF_8);
        byte[] b = evidence.getBytes(StandardCharsets.UTF_8);
        store.put(BlobKey.of(prefix + "fork"), new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE);
        LOG.errorf("ALERT: checksum database %s has forked: tree %d and tree %d are inconsistent (%s); "
                + "verification stopped until %sfork is removed", setting.name(), old.n(), tree.n(), why, prefix);
        throw new SumdbException(Kind.UPSTREAM_FAILED, "checksum database " + setting.name()
                + " has forked: trees " + old.n() + " and " + tree.n() + " are inconsistent; verification stopped");
    }

    // ---- the proxy ----

    /** {@code latest}, from memory for {@code modproxy.sumdb.latest-ttl}. */
    public byte[] proxyLatest() throws SumdbException {
        synchronized (this) {
            if (latestBody != null && System.nanoTime() - latestAt < latestTtlNanos) {
                return latestBody;
            }
        }
        byte[] body = proxied("latest", MAX_LOOKUP);
        synchronized (this) {
            latestBody = body;
            latestAt = System.nanoTime();
        }
        return body;
    }

    public byte[] proxyLookup(String modAtVersion) throws SumdbException {
        return proxied("lookup/" + modAtVersion, MAX_LOOKUP);
    }

    /**
     * A tile for {@code /sumdb/<upstream>/tile/…}. The rules:
     * <ul>
     *   <li>Size: a hash tile is exactly W·32 bytes; a data tile at most {@value #MAX_TILE}.</li>
     *   <li>Nothing is served from the upstream before it is authenticated against a signed tree
     *       head of it (the newest kept; refreshed from the upstream's {@code latest}, with the
     *       consistency check, when that does not have the tile): a hash tile through
     *       {@link TileHashReader}, a data tile by hashing its records to the level-0 hashes of
     *       the same span, themselves authenticated. A tile that fails is a 502 and is neither
     *       stored nor served.</li>
     *   <li>A partial tile of another tree than the newest kept cannot be authenticated here; it is
     *       relayed (size-checked) and never stored: the go command checks it against its own tree.</li>
     *   <li>The cache is the verification cache ({@code tile/}), which keeps complete hash tiles
     *       only: partial tiles are superseded as the log grows and data tiles are not needed to
     *       verify. So it is bounded by the upstream log itself: 32 bytes per record per level,
     *       about 32.2 bytes per record in all (sum.golang.org at 100 million records: 3.2 GB).
     *       The {@code proxied/} cache of earlier versions, unauthenticated, is no longer read.</li>
     * </ul>
     */
    public byte[] proxyTile(Tile t) throws SumdbException {
        try {
            if (t.l() >= 0) {
                Optional<byte[]> cached = read(BlobKey.of(prefix + "tile/" + t.path()));
                if (cached.isPresent()) {
                    return cached.get();
                }
            }
            byte[] data = proxied(t.path(), t.l() >= 0 ? t.w() * Hash.SIZE + 1 : MAX_TILE);
            if (t.l() >= 0 && data.length != t.w() * Hash.SIZE) {
                throw badTile(t, data.length + " bytes, not " + t.w() * Hash.SIZE);
            }
            Tile hashes = t.l() >= 0 ? t : new Tile(t.h(), 0, t.n(), t.w());
            Tree tree = treeHaving(hashes);
            if (tree == null) {
                LOG.debugf("tile %s is of another tree than the newest kept: relayed, not stored", t.path());
                return data;
            }
            if (t.l() >= 0) {
                authenticate(tree, t, data);
            } else {
                byte[] level0 = proxyTile(hashes);
                checkDataTile(t, data, level0);
            }
            return data;
        } catch (StorageException e) {
            throw OwnDatabase.storage(e);
        } catch (GoModException e) {
            throw badTile(t, e.getMessage());
        }
    }

    /**
     * The newest signed tree that has hash tile {@code t} at its width (a partial tile is a
     * tile of one tree size only), fetching the upstream's latest once if the kept one does not;
     * null if neither has it.
     */
    private Tree treeHaving(Tile t) throws SumdbException, GoModException {
        Tree tree;
        synchronized (mergeLock) {
            tree = kept;
        }
        if (tree == null || !has(tree, t)) {
            byte[] signed = proxied("latest", MAX_LOOKUP);
            Tree latest = openTree(signed);
            merge(latest, signed);
            tree = latest;
        }
        return has(tree, t) ? tree : null;
    }

    private static boolean has(Tree tree, Tile t) {
        long bits = (long) t.h() * t.l();
        long atLevel = bits >= 63 ? 0 : tree.n() >> bits;
        long end = (t.n() << t.h()) + t.w();
        return t.isComplete() ? atLevel >= end : atLevel == end;
    }

    /** Authenticates hash tile {@code t}'s {@code data} (and so the tiles above it) against {@code tree}. */
    private void authenticate(Tree tree, Tile t, byte[] data) throws GoModException {
        Tiles2 upstream = new Tiles2();
        TileReader withCandidate = new TileReader() {
            @Override
            public int height() {
                return TransparencyLog.TILE_HEIGHT;
            }

            @Override
            public List<byte[]> readTiles(List<Tile> tiles) throws GoModException {
                List<byte[]> out = new ArrayList<>();
                for (Tile x : tiles) {
                    out.add(x.equals(t) ? data : upstream.readTiles(List.of(x)).get(0));
                }
                return out;
            }

            @Override
            public void saveTiles(List<Tile> tiles, List<byte[]> read) {
                upstream.saveTiles(tiles, read);
            }
        };
        // The last hash of t: the tile holding it at the narrowest width is t itself.
        new TileHashReader(tree, withCandidate).readHashes(new long[] {
                Tlog.storedHashIndex(t.h() * t.l(), (t.n() << t.h()) + t.w() - 1)});
    }

    /**
     * A data tile's records, in the form a lookup serves them ({@code <id>\n<text>\n}, this
     * service's and x/mod's test server's) or as texts each ending in a blank line, must hash to
     * the level-0 hashes of the same span.
     */
    private static void checkDataTile(Tile t, byte[] data, byte[] level0) throws GoModException {
        List<byte[]> texts = new ArrayList<>();
        try {
            byte[] rest = data;
            while (rest.length > 0) {
                Record.Parsed r = Record.parse(rest);
                texts.add(r.record().text().getBytes(StandardCharsets.UTF_8));
                rest = r.rest();
            }
        } catch (GoModException e) {
            texts.clear();
            String all = new String(data, StandardCharsets.UTF_8);
            for (String text : all.split("(?<=\n)\n", -1)) {
                if (!text.isEmpty()) {
                    texts.add(text.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        if (texts.size() != t.w()) {
            throw new GoModException(GoModException.Kind.INVALID_TLOG, "data tile holds " + texts.size() + " records, not " + t.w());
        }
        for (int i = 0; i < texts.size(); i++) {
            if (!Tlog.recordHash(texts.get(i)).equals(Hash.of(level0, i * Hash.SIZE))) {
                throw new GoModException(GoModException.Kind.INVALID_TLOG, "record " + ((t.n() << t.h()) + i)
                        + " does not hash to its level-0 hash");
            }
        }
    }

    private SumdbException badTile(Tile t, String why) {
        metrics.counter("modproxy.sumdb.upstream.bad-tiles").increment();
        return new SumdbException(Kind.UPSTREAM_FAILED, "upstream checksum database " + setting.name()
                + " served a bad " + t.path() + " (" + why + "); not stored, not served");
    }

    private byte[] proxied(String path, int limit) throws SumdbException {
        try {
            return http.get(setting.url() + "/" + path, limit);
        } catch (SumdbException e) {
            throw e.kind() == Kind.NOT_FOUND ? e : upstreamFailure(e);
        }
    }

    private SumdbException upstreamFailure(SumdbException e) {
        Kind k = e.kind() == Kind.UPSTREAM_TIMEOUT ? Kind.UPSTREAM_TIMEOUT : Kind.UPSTREAM_FAILED;
        return new SumdbException(k, "upstream checksum database " + setting.name() + " failed: " + e.getMessage(), e);
    }

    private SumdbException failed(String why) {
        return new SumdbException(Kind.UPSTREAM_FAILED, "upstream checksum database " + setting.name()
                + " failed verification: " + why);
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

    /** A tile fetch that failed for a reason other than bad data; carries the HTTP error. */
    private static final class TileFetchFailed extends GoModException {
        final SumdbException cause;

        TileFetchFailed(SumdbException cause) {
            super(Kind.INVALID_TLOG, cause.getMessage());
            this.cause = cause;
        }
    }

    /** Upstream tiles for {@link TileHashReader}: storage first; saved there once authenticated. */
    private final class Tiles2 implements TileReader {
        @Override
        public int height() {
            return TransparencyLog.TILE_HEIGHT;
        }

        @Override
        public List<byte[]> readTiles(List<Tile> tiles) throws GoModException {
            List<byte[]> out = new ArrayList<>();
            for (Tile t : tiles) {
                try {
                    Optional<byte[]> cached = read(BlobKey.of(prefix + "tile/" + t.path()));
                    byte[] data = cached.isPresent() ? cached.get() : http.get(setting.url() + "/" + t.path(), MAX_TILE);
                    if (data.length != t.w() * Hash.SIZE) {
                        throw new GoModException(GoModException.Kind.INVALID_TLOG, "tile " + t.path() + " has "
                                + data.length + " bytes, not " + t.w() * Hash.SIZE);
                    }
                    out.add(data);
                } catch (StorageException e) {
                    throw new TileFetchFailed(OwnDatabase.storage(e));
                } catch (SumdbException e) {
                    throw new TileFetchFailed(e);
                }
            }
            return out;
        }

        @Override
        public void saveTiles(List<Tile> tiles, List<byte[]> data) {
            for (int i = 0; i < tiles.size(); i++) {
                if (!tiles.get(i).isComplete()) {
                    continue; // superseded as the log grows: the cache keeps complete tiles (see proxyTile)
                }
                byte[] d = data.get(i);
                try {
                    store.put(BlobKey.of(prefix + "tile/" + tiles.get(i).path()), new ByteArrayInputStream(d), d.length, WriteMode.IMMUTABLE);
                } catch (StorageException e) {
                    LOG.warnf("cannot cache tile %s: %s", tiles.get(i).path(), e.getMessage());
                }
            }
        }
    }
}
