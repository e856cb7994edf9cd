package dev.modproxy.storage.catalog;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobInfo;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What modproxy knows about the versions it stored, beside the artifacts themselves: where each
 * came from, when it was first stored, its h1: hashes, and a chronological feed of them in the
 * order they were stored (the {@code /index} of index.golang.org).
 *
 * <pre>
 *   catalog/versions/&lt;escaped path&gt;/@v/&lt;escaped version&gt;.json   immutable, written last: provenance
 *        {"Path","Version","Timestamp","Origin","ZipHash","ModHash"} (hashes may be absent)
 *   catalog/index/&lt;yyyy-MM&gt;/&lt;20-digit epoch micros&gt;/&lt;escaped path&gt;/@v/&lt;escaped version&gt;
 *                                                    immutable, empty: one feed entry; the key is the entry
 *   catalog/months/&lt;yyyy-MM&gt;                           immutable, empty: which index months exist
 * </pre>
 * Blob stores only list by prefix, sorted, so the feed is partitioned by month: reading from
 * {@code since} lists the few month markers, then only the months from {@code since} on. The
 * key carries the whole entry, so a page of the feed is read without opening any blob.
 *
 * <p>Appends are append-only and idempotent by construction: the provenance blob is the commit
 * (written immutable, last), so a crash between the feed entry and it leaves a feed entry whose
 * version is recorded again later; readers drop the later duplicate. Versions stored before the
 * catalog existed (or by a writer that failed to record) are found by {@link #rebuild()}, which
 * walks {@code modules/} for complete versions ({@code .info} present) and records the missing
 * ones with the {@code .info} blob's time.
 *
 * <p>Plain Java, no framework: the fetcher writes through it, the gateway reads and imports.
 */
public final class Catalog {

    static final String VERSIONS = "catalog/versions/";
    static final String INDEX = "catalog/index/";
    static final String MONTHS = "catalog/months/";
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    /** One stored version. {@code origin} is an upstream URL, {@code direct}, or {@code bundle <name>}. */
    public record Entry(String path, String version, Instant timestamp, String origin, String zipHash, String modHash) {
        /** Go's RFC 3339 with nanoseconds, as index.golang.org writes it: no trailing zeros in the fraction. */
        public String timestampText() {
            return goTime(timestamp);
        }
    }

    private final BlobStore store;

    public Catalog(BlobStore store) {
        this.store = store;
    }

    /**
     * Records a version as stored now (microsecond precision, as index.golang.org's feed).
     * @return false if it was recorded before (the first record stays)
     */
    public boolean record(ModuleVersion mv, String origin, String zipHash, String modHash) throws StorageException {
        return record(mv, Instant.now().truncatedTo(ChronoUnit.MICROS), origin, zipHash, modHash);
    }

    public boolean record(ModuleVersion mv, Instant time, String origin, String zipHash, String modHash)
            throws StorageException {
        BlobKey prov = provenanceKey(mv);
        if (store.stat(prov).isPresent()) {
            return false;
        }
        Instant t = time.truncatedTo(ChronoUnit.MICROS);
        String month = MONTH.format(t);
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
        put(BlobKey.of(INDEX + month + "/" + String.format("%020d", micros) + "/" + mv.path().escaped()
                + "/@v/" + mv.escapedVersion()), new byte[0]);
        put(BlobKey.of(MONTHS + month), new byte[0]);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Path", mv.path().value());
        fields.put("Version", mv.version());
        fields.put("Timestamp", goTime(t));
        fields.put("Origin", origin);
        fields.put("ZipHash", zipHash);
        fields.put("ModHash", modHash);
        return put(prov, FlatJson.encode(fields).getBytes(StandardCharsets.UTF_8));
    }

    /** The provenance of a stored version, if it was recorded. */
    public Optional<Entry> provenance(ModuleVersion mv) throws StorageException {
        Optional<Blob> blob = store.get(provenanceKey(mv));
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try (Blob b = blob.get()) {
            Map<String, String> f = FlatJson.decode(new String(b.stream().readAllBytes(), StandardCharsets.UTF_8));
            return Optional.of(new Entry(f.get("Path"), f.get("Version"), Instant.parse(f.get("Timestamp")),
                    f.get("Origin"), f.get("ZipHash"), f.get("ModHash")));
        } catch (IOException e) {
            throw new StorageException("cannot read " + provenanceKey(mv) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StorageException("corrupt catalog record " + provenanceKey(mv) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code limit} feed entries with {@code Timestamp >= since}, oldest first; each version
     * once. Entries carry path, version and time only.
     */
    public List<Entry> index(Instant since, int limit) throws StorageException {
        List<Entry> out = new ArrayList<>();
        String fromMonth = MONTH.format(since);
        long sinceMicros = ChronoUnit.MICROS.between(Instant.EPOCH, since.truncatedTo(ChronoUnit.MICROS))
                + (since.getNano() % 1000 == 0 ? 0 : 1);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (BlobKey m : store.list(MONTHS)) {
            String month = m.value().substring(MONTHS.length());
            if (month.compareTo(fromMonth) < 0) {
                continue;
            }
            for (BlobKey k : store.list(INDEX + month + "/")) {
                String rest = k.value().substring(INDEX.length() + month.length() + 1);
                int slash = rest.indexOf('/');
                long micros = Long.parseLong(rest.substring(0, slash));
                if (micros < sinceMicros) {
                    continue;
                }
                String mvKey = rest.substring(slash + 1);
                int at = mvKey.lastIndexOf("/@v/");
                ModuleVersion mv;
                try {
                    mv = ModuleVersion.fromEscaped(mvKey.substring(0, at), mvKey.substring(at + 4));
                } catch (GoModException | RuntimeException e) {
                    continue; // not ours; never written by record()
                }
                if (!seen.add(mv.toString())) {
                    continue;
                }
                out.add(new Entry(mv.path().value(), mv.version(),
                        Instant.EPOCH.plus(micros, ChronoUnit.MICROS), null, null, null));
                if (out.size() >= limit) {
                    return out;
                }
            }
        }
        return out;
    }

    /** Every complete stored version ({@code .info} present) whose path contains {@code filter}, sorted. */
    public List<ModuleVersion> stored(String filter) throws StorageException {
        List<ModuleVersion> out = new ArrayList<>();
        for (BlobKey k : store.list("modules/")) {
            fromInfoKey(k).filter(mv -> filter == null || filter.isEmpty() || mv.path().value().contains(filter))
                    .ifPresent(out::add);
        }
        out.sort(ModuleVersion.ORDER);
        return out;
    }

    /** The complete stored versions of one module. */
    public List<ModuleVersion> stored(ModulePath module) throws StorageException {
        List<ModuleVersion> out = new ArrayList<>();
        for (BlobKey k : store.list(ModuleLayout.versionsPrefix(module))) {
            fromInfoKey(k).filter(mv -> mv.path().equals(module)).ifPresent(out::add);
        }
        out.sort(ModuleVersion.ORDER);
        return out;
    }

    /**
     * Records every complete stored version the catalog misses, dated by its {@code .info} blob.
     * @return how many were added
     */
    public int rebuild() throws StorageException {
        int added = 0;
        for (ModuleVersion mv : stored("")) {
            if (store.stat(provenanceKey(mv)).isPresent()) {
                continue;
            }
            Optional<BlobInfo> info = store.stat(ModuleLayout.artifact(mv, Type.INFO));
            if (info.isPresent() && record(mv, info.get().lastModified(), "unknown (found in storage)", null, null)) {
                added++;
            }
        }
        return added;
    }

    static String goTime(Instant t) {
        String s = DateTimeFormatter.ISO_INSTANT.format(t);
        int dot = s.indexOf('.');
        if (dot < 0) {
            return s;
        }
        String frac = s.substring(dot + 1, s.length() - 1).replaceAll("0+$", "");
        return s.substring(0, dot) + (frac.isEmpty() ? "" : "." + frac) + "Z";
    }

    public static BlobKey provenanceKey(ModuleVersion mv) {
        return BlobKey.of(VERSIONS + mv.path().escaped() + "/@v/" + mv.escapedVersion() + ".json");
    }

    static Optional<ModuleVersion> fromInfoKey(BlobKey k) {
        String v = k.value();
        if (!v.startsWith("modules/") || !v.endsWith(".info")) {
            return Optional.empty();
        }
        int at = v.lastIndexOf("/@v/");
        if (at < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(ModuleVersion.fromEscaped(v.substring("modules/".length(), at),
                    v.substring(at + 4, v.length() - ".info".length())));
        } catch (GoModException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean put(BlobKey key, byte[] data) throws StorageException {
        return store.put(key, new ByteArrayInputStream(data), data.length, WriteMode.IMMUTABLE);
    }
}
