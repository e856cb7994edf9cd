package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.config.OpsConfig;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.storage.Blob;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Quarantined versions: kept in storage, refused to clients with 410 and the reason, hidden
 * from {@code list} and {@code @latest}; reversible.
 *
 * <pre>
 *   quarantine/&lt;escaped path&gt;/@v/&lt;escaped version&gt;   one line per field, "Reason: …", "Time: …", "By: …"
 * </pre>
 * Storage is the truth, shared by every replica. Each replica keeps the whole list in memory
 * (it is short: takedowns are rare) so the GOPROXY path checks it without blocking, and reads
 * storage again every {@code modproxy.quarantine.refresh}; the replica that took an action
 * updates its copy at once. The artifacts are never touched.
 */
@ApplicationScoped
public class QuarantineService {

    private static final Logger LOG = Logger.getLogger(QuarantineService.class);
    static final String PREFIX = "quarantine/";

    /** One quarantined version. */
    public record Entry(String path, String version, String reason, Instant time, String by) {
    }

    private final BlobStore store;
    private volatile Map<String, Entry> snapshot = Map.of();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quarantine-refresh");
        t.setDaemon(true);
        return t;
    });

    public QuarantineService(BlobStore store, OpsConfig config) {
        this.store = store;
        long ms = Math.max(100, config.quarantine().refresh().toMillis());
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        refresher.shutdownNow();
    }

    /** Never blocks: the in-memory copy. */
    public Optional<Entry> find(ModuleVersion mv) {
        return Optional.ofNullable(snapshot.get(mv.toString()));
    }

    public boolean any(ModulePath module) {
        String prefix = module.value() + "@";
        for (String k : snapshot.keySet()) {
            if (k.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return snapshot.isEmpty();
    }

    public Collection<Entry> all() throws ProxyException {
        refresh();
        return snapshot.values().stream().sorted(java.util.Comparator.comparing(Entry::path)
                .thenComparing(Entry::version)).toList();
    }

    public synchronized Entry quarantine(ModuleVersion mv, String reason, String by) throws ProxyException {
        if (reason == null || reason.isBlank()) {
            throw new ProxyException(Kind.BAD_REQUEST, "a reason is required (it is shown to every client)");
        }
        Entry e = new Entry(mv.path().value(), mv.version(), ProxyException.oneLine(reason.strip()),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), by == null ? "unknown" : by);
        byte[] body = ("Reason: " + e.reason() + "\nTime: " + e.time() + "\nBy: " + e.by() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try {
            store.put(key(mv), new ByteArrayInputStream(body), body.length, BlobStore.WriteMode.REPLACE);
        } catch (StorageException ex) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + ex.getMessage(), ex);
        }
        Map<String, Entry> next = new ConcurrentHashMap<>(snapshot);
        next.put(mv.toString(), e);
        snapshot = Map.copyOf(next);
        return e;
    }

    /** @return the entry that was lifted */
    public synchronized Entry release(ModuleVersion mv) throws ProxyException {
        refresh();
        Entry e = snapshot.get(mv.toString());
        if (e == null) {
            throw new ProxyException(Kind.NOT_FOUND, mv + " is not quarantined");
        }
        try {
            store.delete(key(mv));
        } catch (StorageException ex) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + ex.getMessage(), ex);
        }
        Map<String, Entry> next = new ConcurrentHashMap<>(snapshot);
        next.remove(mv.toString());
        snapshot = Map.copyOf(next);
        return e;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (ProxyException e) {
            LOG.warnf("quarantine list not refreshed (the last one stays in force): %s", e.getMessage());
        }
    }

    /** Synchronized with the actions, so a refresh that began before one cannot undo it. */
    synchronized void refresh() throws ProxyException {
        try {
            Map<String, Entry> next = new ConcurrentHashMap<>();
            for (BlobKey k : store.list(PREFIX)) {
                String rest = k.value().substring(PREFIX.length());
                int at = rest.lastIndexOf("/@v/");
                if (at < 0) {
                    continue;
                }
                ModuleVersion mv;
                try {
                    mv = ModuleVersion.fromEscaped(rest.substring(0, at), rest.substring(at + 4));
                } catch (GoModException | RuntimeException e) {
                    continue;
                }
                Optional<Blob> blob = store.get(k);
                if (blob.isEmpty()) {
                    continue;
                }
                String text;
                try (Blob b = blob.get()) {
                    text = new String(b.stream().readAllBytes(), StandardCharsets.UTF_8);
                }
                next.put(mv.toString(), new Entry(mv.path().value(), mv.version(), field(text, "Reason"),
                        parseTime(field(text, "Time")), field(text, "By")));
            }
            snapshot = Map.copyOf(next);
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        return "";
    }

    private static Instant parseTime(String s) {
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    static BlobKey key(ModuleVersion mv) {
        return BlobKey.of(PREFIX + mv.path().escaped() + "/@v/" + mv.escapedVersion());
    }
}
