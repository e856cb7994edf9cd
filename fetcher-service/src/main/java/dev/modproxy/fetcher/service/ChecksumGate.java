package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.client.SumdbClient;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.env.ModulePrivacy;
import dev.modproxy.gomod.module.ModuleVersion;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;

/**
 * The checksum step of a fetch, between "the zip is checked" and "anything is stored": the
 * version's h1: hashes are verified against the upstream checksum database (unless the module
 * matches {@code modproxy.nosumdb} or {@code modproxy.sumdb.upstream} is {@code off}), then
 * recorded in modproxy's own database. Any failure — mismatch, upstream database failure,
 * sumdb-service down — throws, so nothing is stored.
 */
@ApplicationScoped
public class ChecksumGate {

    private final SumdbClient sumdb;
    private final boolean enabled;
    private final boolean upstreamOff;
    private final ModulePrivacy privacy;

    public ChecksumGate(SumdbClient sumdb, FetcherConfig config) {
        this.sumdb = sumdb;
        this.enabled = config.sumdb().enabled();
        this.upstreamOff = config.sumdb().upstream().strip().equals("off");
        this.privacy = ModulePrivacy.fromEnvironment(config.privatePatterns().orElse(null),
                config.noproxy().orElse(null), config.nosumdb().orElse(null), config.insecure().orElse(null));
    }

    /**
     * For a go.mod served before its zip is fetched (module graph loading): its hash is verified
     * against the upstream checksum database like a whole version's, and nothing is recorded
     * (the own database records both hashes, once the zip is fetched).
     */
    public void checkMod(ModuleVersion mv, byte[] mod, String base) throws FetchException {
        if (!enabled || upstreamOff || privacy.bypassesSumDb(mv.path().value())) {
            return;
        }
        String modHash;
        try {
            modHash = DirHash.hashGoMod(mod);
        } catch (GoModException e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, mv + ": cannot hash go.mod: " + e.getMessage(), base, e);
        }
        try {
            sumdb.verify(mv, null, modHash);
        } catch (FetchException e) {
            throw new FetchException(e.kind(), e.getMessage(), base, e);
        } catch (RuntimeException e) {
            throw sumdb.unavailable(mv, e);
        }
    }

    /** A version's go.sum hashes, computed once per fetch (the catalog records them too). */
    public record Hashes(String zipHash, String modHash) {
    }

    /**
     * Hashes the zip and go.mod (x/mod's dirhash: every file inflated and hashed, the costly
     * part of a fetch, so done once), then verifies and records them when the checksum
     * database is on. Returns the hashes.
     */
    public Hashes check(ModuleVersion mv, Path zip, byte[] mod, String base) throws FetchException {
        String zipHash;
        String modHash;
        try {
            zipHash = DirHash.hashZip(zip);
            modHash = DirHash.hashGoMod(mod);
        } catch (GoModException e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, mv + ": cannot hash: " + e.getMessage(), base, e);
        }
        if (!enabled) {
            return new Hashes(zipHash, modHash);
        }
        try {
            if (!upstreamOff && !privacy.bypassesSumDb(mv.path().value())) {
                sumdb.verify(mv, zipHash, modHash);
            }
            sumdb.record(mv, zipHash, modHash);
        } catch (FetchException e) {
            throw new FetchException(e.kind(), e.getMessage(), base, e);
        } catch (RuntimeException e) { // unreachable after retries, breaker open, timeout
            throw sumdb.unavailable(mv, e);
        }
        return new Hashes(zipHash, modHash);
    }
}
