package dev.modproxy.gateway.catalog;

import dev.modproxy.gateway.admin.QuarantineService;
import dev.modproxy.gateway.client.AuditClient;
import dev.modproxy.gateway.client.SumdbServiceClient;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.catalog.Catalog;
import dev.modproxy.storage.layout.ModuleLayout;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway tells about stored modules: the catalog of complete versions, the index
 * feed, and a module's page (versions, hashes, checksum-log record ids, provenance, first
 * fetch, downloads, quarantine). Storage's {@link Catalog} is the source; the checksum log
 * (sumdb-service) gives record ids, and hashes for versions the catalog has none for; the audit
 * trail gives download counts when it is there.
 */
@ApplicationScoped
public class CatalogService {

    private static final Pattern TIME = Pattern.compile("\"Time\"\\s*:\\s*\"([^\"]*)\"");

    private final BlobStore store;
    private final Catalog catalog;
    private final SumdbServiceClient sumdb;
    private final AuditClient audit;
    private final QuarantineService quarantine;

    public CatalogService(BlobStore store, SumdbServiceClient sumdb, AuditClient audit, QuarantineService quarantine) {
        this.store = store;
        this.catalog = new Catalog(store);
        this.sumdb = sumdb;
        this.audit = audit;
        this.quarantine = quarantine;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** A page of stored versions in path then version order, after {@code after} ("path@version"). */
    public Map<String, Object> page(String filter, String after, int limit, java.util.function.Predicate<String> readable)
            throws ProxyException {
        List<ModuleVersion> all = storage(() -> catalog.stored(filter == null ? "" : filter));
        List<Map<String, String>> versions = new ArrayList<>();
        boolean started = after == null || after.isEmpty();
        String next = null;
        for (ModuleVersion mv : all) {
            if (!started) {
                started = mv.toString().equals(after);
                continue;
            }
            if (quarantine.find(mv).isPresent() || !readable.test(mv.path().value())) {
                continue;
            }
            if (versions.size() == limit) {
                next = versions.get(limit - 1).get("Path") + "@" + versions.get(limit - 1).get("Version");
                break;
            }
            Map<String, String> v = new LinkedHashMap<>();
            v.put("Path", mv.path().value());
            v.put("Version", mv.version());
            versions.add(v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("versions", versions);
        out.put("next", next);
        return out;
    }

    /**
     * The feed from {@code since}, without quarantined versions and modules the caller may not
     * read. Hidden entries do not count toward {@code limit}: the feed is read on until it is
     * filled or ends.
     */
    public List<Catalog.Entry> index(Instant since, int limit, java.util.function.Predicate<String> readable)
            throws ProxyException {
        List<Catalog.Entry> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Instant from = since;
        while (true) {
            Instant start = from;
            List<Catalog.Entry> batch = storage(() -> catalog.index(start, limit));
            for (Catalog.Entry e : batch) {
                if (!quarantined(e.path(), e.version()) && readable.test(e.path()) && seen.add(e.path() + "@" + e.version())) {
                    out.add(e);
                    if (out.size() == limit) {
                        return out;
                    }
                }
            }
            if (batch.size() < limit) {
                return out;
            }
            // Read on after the last entry of the batch (the feed has microsecond precision).
            from = batch.get(batch.size() - 1).timestamp().plusNanos(1000);
        }
    }

    public int rebuild() throws ProxyException {
        return storage(catalog::rebuild);
    }

    /** The module page; 404 when nothing of the module is stored. */
    public Map<String, Object> module(String path) throws ProxyException {
        ModulePath module;
        try {
            module = ModulePath.of(path);
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, e.getMessage());
        }
        List<ModuleVersion> stored = storage(() -> catalog.stored(module));
        if (stored.isEmpty()) {
            throw new ProxyException(Kind.NOT_FOUND, "module " + path + " has no stored versions");
        }
        AuditClient.Downloads downloads = audit.downloads(path);
        String sumdbProblem = null;
        List<Map<String, Object>> versions = new ArrayList<>();
        for (ModuleVersion mv : stored) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("Version", mv.version());
            v.put("Time", infoTime(mv).orElse(null));
            Optional<Catalog.Entry> prov = storage(() -> catalog.provenance(mv));
            v.put("Origin", prov.map(Catalog.Entry::origin).orElse(null));
            v.put("FirstFetched", prov.map(Catalog.Entry::timestampText).orElse(null));
            String zipHash = prov.map(Catalog.Entry::zipHash).orElse(null);
            String modHash = prov.map(Catalog.Entry::modHash).orElse(null);
            Long recordId = null;
            if (sumdbProblem == null) {
                try {
                    Optional<SumdbServiceClient.LogRecord> r = sumdb.lookup(mv);
                    if (r.isPresent()) {
                        recordId = r.get().id();
                        zipHash = zipHash == null ? r.get().zipHash() : zipHash;
                        modHash = modHash == null ? r.get().modHash() : modHash;
                    }
                } catch (ProxyException e) {
                    sumdbProblem = e.getMessage(); // asked once per page: the service is down for all
                }
            }
            v.put("ZipHash", zipHash);
            v.put("ModHash", modHash);
            v.put("RecordId", recordId);
            v.put("Downloads", downloads.available() ? downloads.perVersion().getOrDefault(mv.version(), 0L) : null);
            v.put("Quarantined", quarantine.find(mv).map(QuarantineService.Entry::reason).orElse(null));
            versions.add(v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Path", module.value());
        out.put("Versions", versions);
        out.put("DownloadsUnavailable", downloads.unavailable());
        out.put("ChecksumLogUnavailable", sumdbProblem);
        try {
            out.put("ChecksumDatabase", sumdb.databaseName());
        } catch (ProxyException e) {
            out.put("ChecksumDatabase", null);
        }
        return out;
    }

    private boolean quarantined(String path, String version) {
        try {
            return quarantine.find(ModuleVersion.of(path, version)).isPresent();
        } catch (GoModException e) {
            return false;
        }
    }

    private Optional<String> infoTime(ModuleVersion mv) throws ProxyException {
        return storage(() -> {
            Optional<Blob> b = store.get(ModuleLayout.artifact(mv, Type.INFO));
            if (b.isEmpty()) {
                return Optional.empty();
            }
            try (Blob blob = b.get()) {
                Matcher m = TIME.matcher(new String(blob.stream().readNBytes(65536), StandardCharsets.UTF_8));
                return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            } catch (IOException e) {
                throw new StorageException(e.getMessage(), e);
            }
        });
    }

    interface StorageCall<T> {
        T call() throws StorageException;
    }

    static <T> T storage(StorageCall<T> call) throws ProxyException {
        try {
            return call.call();
        } catch (StorageException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
    }
}
