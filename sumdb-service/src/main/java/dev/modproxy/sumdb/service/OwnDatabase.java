package dev.modproxy.sumdb.service;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;
import dev.modproxy.sumdb.client.FetcherClient;
import dev.modproxy.sumdb.config.SumdbConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * modproxy's own checksum database: one record for every module version modproxy serves,
 * public ones after their upstream verification (the fetcher records them), private ones at
 * first fetch. A lookup of a version it has no record of is answered, like sum.golang.org
 * does, by bringing the version in first: from storage if it is already stored (it was checked
 * when it was), else by asking a fetcher, which records it on the way.
 */
@Startup // a bad key, a foreign log or a bad setting stops the start, not the first request
@ApplicationScoped
public class OwnDatabase {

    private static final Logger LOG = Logger.getLogger(OwnDatabase.class);

    private final BlobStore store;
    private final FetcherClient fetchers;
    private final MeterRegistry metrics;
    private final SignerKeys keys;
    private final TransparencyLog log;
    private final Path tmpDir;

    public OwnDatabase(BlobStore store, FetcherClient fetchers, SumdbConfig config, MeterRegistry metrics)
            throws IOException, GoModException {
        this.store = store;
        this.fetchers = fetchers;
        this.metrics = metrics;
        String name = config.sumdb().name();
        this.keys = config.sumdb().keyFile().isPresent()
                ? SignerKeys.fromFile(config.sumdb().keyFile().get(), name)
                : SignerKeys.generatedIn(config.dataDir().resolve("sumdb"), name);
        this.log = new TransparencyLog(store, name, keys.signerKey(), keys.verifierKey());
        this.tmpDir = Files.createDirectories(config.dataDir().resolve("tmp").toAbsolutePath());
        metrics.gauge("modproxy.sumdb.own.tree.size", log, TransparencyLog::size);
        LOG.infof("checksum database %s: %d records, verifier key %s", name, log.size(), keys.verifierKey());
    }

    public String name() {
        return log.name();
    }

    public String verifierKey() {
        return keys.verifierKey();
    }

    /**
     * Records the hashes of a module version; idempotent. A version already recorded with other
     * hashes is a {@link Kind#MISMATCH} naming both.
     */
    public long record(GoSum sum) throws SumdbException {
        try {
            TransparencyLog.Appended a = log.append(sum.text());
            if (!a.added()) {
                GoSum kept = GoSum.fromRecord(sum.mv(), a.text());
                if (!kept.sameHashes(sum)) {
                    metrics.counter("modproxy.sumdb.mismatch", "db", "own").increment();
                    throw new SumdbException(Kind.MISMATCH, sum.mismatchWith(kept, name()));
                }
            } else {
                metrics.counter("modproxy.sumdb.own.appended").increment();
                LOG.infof("recorded %s as record %d of %s", sum.mv(), a.id(), name());
            }
            return a.id();
        } catch (GoModException e) {
            throw new SumdbException(Kind.UNAVAILABLE, "checksum log " + name() + ": " + e.getMessage(), e);
        } catch (StorageException e) {
            throw storage(e);
        }
    }

    /** A lookup answer: the record as served, then the signed tree head. */
    public byte[] lookup(ModuleVersion mv) throws SumdbException {
        try {
            Optional<Long> id = log.lookup(mv.path().value(), mv.version());
            if (id.isEmpty()) {
                id = Optional.of(fill(mv));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(Record.format(id.get(), log.readRecord(id.get()).getBytes(StandardCharsets.UTF_8)));
            out.writeBytes(log.latest());
            return out.toByteArray();
        } catch (GoModException e) {
            throw new SumdbException(Kind.UNAVAILABLE, "checksum log " + name() + ": " + e.getMessage(), e);
        } catch (StorageException e) {
            throw storage(e);
        }
    }

    public byte[] latest() throws SumdbException {
        try {
            return log.latest();
        } catch (GoModException e) {
            throw new SumdbException(Kind.UNAVAILABLE, "checksum log " + name() + ": " + e.getMessage(), e);
        } catch (StorageException e) {
            throw storage(e);
        }
    }

    public byte[] tile(Tile t) throws SumdbException {
        if (t.h() != TransparencyLog.TILE_HEIGHT) {
            throw new SumdbException(Kind.NOT_FOUND, "tile height " + t.h() + " not served (only "
                    + TransparencyLog.TILE_HEIGHT + ")");
        }
        try {
            return log.readTile(t).orElseThrow(() -> new SumdbException(Kind.NOT_FOUND,
                    t.path() + " is not in the tree yet"));
        } catch (GoModException e) {
            throw new SumdbException(Kind.UNAVAILABLE, "checksum log " + name() + ": " + e.getMessage(), e);
        } catch (StorageException e) {
            throw storage(e);
        }
    }

    /** Brings a version with no record in: it must be stored, or a fetcher must store it. */
    private long fill(ModuleVersion mv) throws SumdbException, StorageException {
        if (store.stat(ModuleLayout.artifact(mv, Type.INFO)).isEmpty()) {
            fetchers.ensureStored(mv);
            if (store.stat(ModuleLayout.artifact(mv, Type.INFO)).isEmpty()) {
                throw new SumdbException(Kind.NOT_FOUND, "not found: " + mv + " is not served by modproxy");
            }
        }
        String zipHash;
        String modHash;
        Path zip = null;
        try {
            zip = Files.createTempFile(tmpDir, "lookup-", ".zip");
            try (Blob b = store.get(ModuleLayout.artifact(mv, Type.ZIP)).orElseThrow(() -> lost(mv));
                 InputStream in = b.stream()) {
                Files.copy(in, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            byte[] mod;
            try (Blob b = store.get(ModuleLayout.artifact(mv, Type.MOD)).orElseThrow(() -> lost(mv))) {
                mod = b.stream().readAllBytes();
            }
            zipHash = DirHash.hashZip(zip);
            modHash = DirHash.hashGoMod(mod);
        } catch (GoModException e) {
            throw new SumdbException(Kind.UNAVAILABLE, mv + ": stored zip does not hash: " + e.getMessage(), e);
        } catch (IOException e) {
            throw storage(e);
        } finally {
            if (zip != null) {
                try {
                    Files.deleteIfExists(zip);
                } catch (IOException ignored) {
                    // a temporary file; the next start may clean it
                }
            }
        }
        return record(new GoSum(mv, zipHash, modHash));
    }

    private static StorageException lost(ModuleVersion mv) {
        return new StorageException("storage lost part of " + mv);
    }

    static SumdbException storage(IOException e) {
        return new SumdbException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
    }
}
