package dev.modproxy.system;

import dev.modproxy.audit.events.AuditEvent;
import dev.modproxy.audit.events.AuditEventCodec;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.zip.ModuleZip;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.layout.ModuleLayout;
import dev.modproxy.testing.DebianGoSources;
import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.KafkaBroker;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * High availability without Kubernetes (issue #8): two gateways and two fetchers sharing one fs
 * storage and one Kafka broker, every part its own process; a loop of real {@code go mod
 * download} clients; one gateway and one fetcher killed with SIGKILL mid-run and restarted on the
 * same ports and directories. Then:
 * <ol>
 *   <li>every download completed, with exactly the hashes the upstream tree has;</li>
 *   <li>storage holds no partial artifact: only valid keys and the fs store's own temp files
 *       ({@code .tmp#…}, outside the key space, never served); every {@code .info} has its
 *       {@code .mod} and {@code .zip}; every stored {@code .zip} and {@code .mod} hashes to the
 *       upstream's and every {@code .zip} passes the module zip check;</li>
 *   <li>the audit trail has every completed request: for each completed download, distinct
 *       {@code .info}, {@code .mod} and {@code .zip} events with status 200 and the artifact's
 *       size in bytes for that module@version, timed within that download's run (both gateways'
 *       events together; the killed one's included: an answer go had in full was written ahead
 *       to the journal before its last byte, issue #24).</li>
 * </ol>
 */
class HaIT {

    private static final Instant TIME = Instant.parse("2023-05-06T07:08:09Z");
    /** Concurrent go clients. */
    private static final int WORKERS = 4;
    /** Synthetic modules × versions: enough cold versions that fetches are in flight at the kill. */
    private static final int SYNTHETIC_MODULES = 10;
    private static final int SYNTHETIC_VERSIONS = 30;
    /** Attempts of one download, as a patient load balancer would retry it, before it counts as failed. */
    private static final int ATTEMPTS = 20;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One completed {@code go mod download}: what go said and when it ran. */
    record Download(String target, String module, String version, String sum, String goModSum,
                    Instant start, Instant end, int attempts) {
    }

    @AfterEach
    void stop() {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void killingAGatewayAndAFetcherMidRunLosesNoDownloadNoArtifactAndNoAuditEvent() throws Exception {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ha-it");
        Path logs = dir.resolve("logs");
        GoProxyTree tree = new GoProxyTree(dir.resolve("upstream"));
        publish(tree);
        Map<String, GoProxyTree.Published> expected = new HashMap<>();
        for (GoProxyTree.Published p : tree.published()) {
            expected.put(p.mv().toString(), p);
        }
        UpstreamServer upstream = new UpstreamServer(tree.root());
        closeables.add(upstream);
        // Every upstream zip takes a moment, so the killed fetcher has fetches in flight.
        upstream.delay(".*\\.zip", 150, -1);

        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        closeables.add(broker);
        Path storage = dir.resolve("storage");
        ServiceProcess audit = start("audit-service", "audit", logs, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "MODPROXY_DATA_DIR", dir.resolve("audit").toString(),
                "MODPROXY_AUDIT_FLUSH_INTERVAL", "500ms"), ServiceProcess.freePort());
        ServiceProcess sumdb = start("sumdb-service", "sumdb", logs, Map.of(
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()), ServiceProcess.freePort());

        // Ports first: both gateways list both fetchers, and restarts reuse ports and directories.
        int[] fetcherPorts = {ServiceProcess.freePort(), ServiceProcess.freePort()};
        int[] gatewayPorts = {ServiceProcess.freePort(), ServiceProcess.freePort()};
        List<Map<String, String>> fetcherEnv = new ArrayList<>();
        List<Map<String, String>> gatewayEnv = new ArrayList<>();
        String fetcherList = "http://127.0.0.1:" + fetcherPorts[0] + ",http://127.0.0.1:" + fetcherPorts[1];
        for (int i = 0; i < 2; i++) {
            fetcherEnv.add(Map.of(
                    "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                    "MODPROXY_SUMDB_UPSTREAM", "off",
                    "MODPROXY_UPSTREAM", upstream.url(),
                    "MODPROXY_DATA_DIR", dir.resolve("fetcher" + (i + 1)).toString(),
                    "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
            gatewayEnv.add(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "MODPROXY_FETCHER_ENDPOINTS", fetcherList,
                    "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                    "MODPROXY_AUDIT_ENDPOINT", audit.url(),
                    "MODPROXY_AUDIT_REPLICA", "gateway" + (i + 1),
                    "MODPROXY_DATA_DIR", dir.resolve("gateway" + (i + 1)).toString(),
                    "MODPROXY_STORAGE_FS_ROOT", storage.toString(),
                    "MODPROXY_QOS_PER_CLIENT_RPS", "0"));
        }
        ServiceProcess[] fetchers = new ServiceProcess[2];
        ServiceProcess[] gateways = new ServiceProcess[2];
        // Started two at a time: each waits for its own /q/health/ready.
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<ServiceProcess> f1 = starter.submit(() -> start("fetcher-service", "fetcher1", logs, fetcherEnv.get(0), fetcherPorts[0]));
            Future<ServiceProcess> f2 = starter.submit(() -> start("fetcher-service", "fetcher2", logs, fetcherEnv.get(1), fetcherPorts[1]));
            fetchers[0] = f1.get();
            fetchers[1] = f2.get();
            Future<ServiceProcess> g1 = starter.submit(() -> start("proxy-gateway", "gateway1", logs, gatewayEnv.get(0), gatewayPorts[0]));
            Future<ServiceProcess> g2 = starter.submit(() -> start("proxy-gateway", "gateway2", logs, gatewayEnv.get(1), gatewayPorts[1]));
            gateways[0] = g1.get();
            gateways[1] = g2.get();
        } finally {
            starter.shutdown();
        }
        String gw1 = gateways[0].url();
        String gw2 = gateways[1].url();
        long setup = System.nanoTime() - t0;

        // The targets: every published version, shuffled, taken in turn by the workers; once all
        // have been fetched (cold) the loop goes round again (warm) until told to stop.
        List<GoProxyTree.Published> targets = new ArrayList<>(tree.published());
        Collections.shuffle(targets, new Random(8));
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stopping = new AtomicBoolean();
        ConcurrentLinkedQueue<Download> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
        AtomicInteger retried = new AtomicInteger();
        Instant runStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            // The load balancer: half the workers prefer gateway 1, half gateway 2. GOPROXY's '|'
            // (not ','! that falls through only on 404/410) makes go try the other gateway on any
            // error, a refused connection or a download cut off by the kill included; on top of
            // that a failed command is run again, as a retrying load balancer would.
            String goproxy = w % 2 == 0 ? gw1 + "|" + gw2 : gw2 + "|" + gw1;
            GoCommand go = new GoCommand(dir.resolve("go" + w), goproxy);
            Path work = Files.createDirectories(dir.resolve("work" + w));
            workers.add(pool.submit(() -> {
                for (int n = 0; !stopping.get(); n++) {
                    GoProxyTree.Published p = targets.get(next.getAndIncrement() % targets.size());
                    String target = p.mv().toString();
                    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    String last = "";
                    boolean ok = false;
                    for (int attempt = 1; attempt <= ATTEMPTS && !ok; attempt++) {
                        // A fresh module cache each time, so go really downloads .info, .mod and .zip.
                        Path cache = go.home().resolve("modcache-" + n + "-" + attempt);
                        go.env("GOMODCACHE", cache.toString());
                        GoCommand.Result r = go.run(work, "mod", "download", "-json", target);
                        if (r.exitCode() == 0 && !r.stdout().contains("\"Error\"")) {
                            Instant end = Instant.now();
                            done.add(new Download(target, p.mv().path().value(), p.mv().version(),
                                    field(r.stdout(), "Sum"), field(r.stdout(), "GoModSum"), start, end, attempt));
                            ok = true;
                        } else {
                            last = r.stderr() + r.stdout();
                            retried.incrementAndGet();
                            Thread.sleep(200);
                        }
                        delete(cache);
                    }
                    if (!ok) {
                        failed.add(target + " after " + ATTEMPTS + " attempts: " + last);
                    }
                }
                return null;
            }));
        }

        // Let the loop get going, then SIGKILL one gateway and one fetcher.
        awaitCount(done, 30, Duration.ofSeconds(60));
        int beforeKill = done.size();
        Instant killedAt = Instant.now();
        gateways[0].kill();
        fetchers[0].kill();
        // The survivors carry the load for a few seconds.
        int atKill = done.size();
        Thread.sleep(5000);
        int onSurvivors = done.size() - atKill;
        // Restarted on the same ports and directories, fetcher first (the gateway lists it).
        fetchers[0] = start("fetcher-service", "fetcher1", logs, fetcherEnv.get(0), fetcherPorts[0]);
        gateways[0] = start("proxy-gateway", "gateway1", logs, gatewayEnv.get(0), gatewayPorts[0]);
        Instant restartedAt = Instant.now();
        int atRestart = done.size();
        awaitCount(done, atRestart + 60, Duration.ofSeconds(60));
        stopping.set(true);
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        Instant runEnd = Instant.now();
        List<Download> downloads = new ArrayList<>(done);
        System.out.printf("HaIT: setup %d s; %d downloads in %d s (%d before the kill, %d on the survivors in 5 s, "
                        + "%d after the restart), %d retried attempts; kill at %s, restarted at %s%n",
                Duration.ofNanos(setup).toSeconds(), downloads.size(), Duration.between(runStart, runEnd).toSeconds(),
                beforeKill, onSurvivors, downloads.size() - atRestart, retried.get(), killedAt, restartedAt);

        // (1) every download completed, with the upstream's hashes.
        assertTrue(failed.isEmpty(), "downloads that never completed:\n" + String.join("\n", failed));
        assertTrue(onSurvivors > 0, "no download completed while a gateway and a fetcher were down");
        for (Download d : downloads) {
            GoProxyTree.Published p = expected.get(d.target());
            assertEquals(p.zipHash(), d.sum(), d.target() + " Sum");
            assertEquals(p.modHash(), d.goModSum(), d.target() + " GoModSum");
        }

        // (2) storage holds no partial artifact.
        checkStorage(storage, expected);

        // (3) the audit trail has every completed request (events of both gateways, the killed
        // one's included: they must survive the kill and come out after the restart).
        String missing = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<AuditEvent> events = auditEvents(audit.url(), runStart);
            missing = unmatched(downloads, events, storage);
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals("", missing, "completed downloads without their audit events");
        System.out.printf("HaIT: total %d s%n", Duration.ofNanos(System.nanoTime() - t0).toSeconds());
    }

    private ServiceProcess start(String module, String name, Path logs, Map<String, String> env, int port) throws Exception {
        ServiceProcess p = ServiceProcess.start(module, name, logs, env, port);
        synchronized (closeables) {
            closeables.add(p);
        }
        return p;
    }

    /**
     * The upstream: Debian's real module sources at their packaged versions (as in GoProxyIT),
     * and synthetic modules with many versions, each with ~60 KB of incompressible text so a zip
     * is more than a few bytes.
     */
    private static void publish(GoProxyTree tree) throws Exception {
        Set<String> done = new HashSet<>();
        for (DebianGoSources.Source s : DebianGoSources.all()) {
            if (done.add(s.modulePath() + "@" + s.version())) {
                tree.addDir(s.modulePath(), s.version(), TIME, s.dir());
            }
        }
        Random random = new Random(8);
        for (int m = 0; m < SYNTHETIC_MODULES; m++) {
            String path = "ha.example/m" + m;
            for (int v = 0; v < SYNTHETIC_VERSIONS; v++) {
                byte[] data = new byte[30_000];
                random.nextBytes(data);
                String hex = java.util.HexFormat.of().formatHex(data);
                tree.add(path, "v1.0." + v, TIME, Map.of(
                        "go.mod", ("module " + path + "\n\ngo 1.19\n").getBytes(StandardCharsets.UTF_8),
                        "data.go", ("package m" + m + "\n\nconst Data = \"" + hex + "\"\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /**
     * Walks the whole store: each file is either a valid key or an fs-store temp file
     * ({@code .tmp#<uuid>}, which no key can name, so it is never listed or served: what a writer
     * killed mid-write leaves). Under {@code modules/}, every key is an artifact of a published
     * version with the upstream's bytes, and each {@code .info} comes with its {@code .mod} and {@code .zip}.
     */
    private static void checkStorage(Path storage, Map<String, GoProxyTree.Published> expected) throws Exception {
        Map<String, GoProxyTree.Published> byKey = new HashMap<>();
        for (GoProxyTree.Published p : expected.values()) {
            for (Type t : List.of(Type.INFO, Type.MOD, Type.ZIP)) {
                byKey.put(ModuleLayout.artifact(p.mv(), t).value(), p);
            }
        }
        List<String> problems = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        int temps = 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(storage)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            String rel = storage.relativize(f).toString().replace('\\', '/');
            if (f.getFileName().toString().startsWith(".tmp#")) {
                temps++;
                continue;
            }
            if (!BlobKey.isValid(rel)) {
                problems.add("not a key and not a temp file: " + rel);
                continue;
            }
            keys.add(rel);
        }
        int artifacts = 0;
        for (String key : keys) {
            if (!key.startsWith("modules/")) {
                continue;
            }
            artifacts++;
            GoProxyTree.Published p = byKey.get(key);
            if (p == null) {
                problems.add("an artifact of no published version: " + key);
                continue;
            }
            Path file = storage.resolve(key);
            if (key.endsWith(".zip")) {
                String h = DirHash.hashZip(file);
                if (!h.equals(p.zipHash())) {
                    problems.add(key + ": zip hash " + h + ", upstream " + p.zipHash());
                }
                ModuleZip.checkZip(p.mv(), file);
            } else if (key.endsWith(".mod")) {
                String h = DirHash.hashGoMod(Files.readAllBytes(file));
                if (!h.equals(p.modHash())) {
                    problems.add(key + ": go.mod hash " + h + ", upstream " + p.modHash());
                }
            } else if (key.endsWith(".info")) {
                String info = Files.readString(file);
                if (!info.contains("\"Version\":\"" + p.mv().version() + "\"")) {
                    problems.add(key + ": " + info);
                }
                for (Type t : List.of(Type.MOD, Type.ZIP)) {
                    if (!keys.contains(ModuleLayout.artifact(p.mv(), t).value())) {
                        problems.add(key + " is stored without its " + t);
                    }
                }
            }
        }
        System.out.printf("HaIT: storage holds %d artifacts and %d temp files of killed writers%n", artifacts, temps);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(artifacts > 0, "nothing stored");
    }

    /** Every audit event since {@code since}, straight from audit-service (NDJSON streams all matches). */
    private List<AuditEvent> auditEvents(String auditUrl, Instant since) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(auditUrl + "/api/v1/audit?format=ndjson&since="
                + since)).header("Authorization", ServiceProcess.AUTHORIZATION).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<AuditEvent> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                out.add(AuditEventCodec.decode(line));
            }
        }
        return out;
    }

    /**
     * The completed downloads that lack an event, as lines: for each kind (.info, .mod, .zip),
     * each download needs its own 200 event for its module@version that counts the artifact's
     * every byte (as stored), timed between its start and end. Matched greedily by end time,
     * each to the earliest unused event at or after its start: the classic exact matching of
     * intervals to points, so a shortfall is a real one.
     */
    private static String unmatched(List<Download> downloads, List<AuditEvent> events, Path storage) throws Exception {
        StringBuilder out = new StringBuilder();
        Map<String, Long> sizes = new HashMap<>();
        for (AuditEvent.Kind kind : List.of(AuditEvent.Kind.INFO, AuditEvent.Kind.MOD, AuditEvent.Kind.ZIP)) {
            Type type = Type.valueOf(kind.name());
            for (Download d : downloads) {
                String key = kind + " " + d.target();
                if (!sizes.containsKey(key)) {
                    sizes.put(key, Files.size(storage.resolve(ModuleLayout.artifact(ModuleVersion.of(d.module(), d.version()), type).value())));
                }
            }
            Map<String, TreeMap<Instant, Integer>> free = new HashMap<>();
            for (AuditEvent e : events) {
                if (e.kind() == kind && e.status() == 200 && e.module() != null
                        && Long.valueOf(e.bytes()).equals(sizes.get(kind + " " + e.module() + "@" + e.version()))) {
                    free.computeIfAbsent(e.module() + "@" + e.version(), k -> new TreeMap<>()).merge(e.time(), 1, Integer::sum);
                }
            }
            List<Download> byEnd = new ArrayList<>(downloads);
            byEnd.sort(Comparator.comparing(Download::end));
            for (Download d : byEnd) {
                TreeMap<Instant, Integer> times = free.getOrDefault(d.target(), new TreeMap<>());
                Map.Entry<Instant, Integer> e = times.ceilingEntry(d.start());
                if (e == null || e.getKey().isAfter(d.end())) {
                    out.append(kind).append(' ').append(d.target()).append(" downloaded ").append(d.start())
                            .append(" .. ").append(d.end()).append('\n');
                    continue;
                }
                if (e.getValue() == 1) {
                    times.remove(e.getKey());
                } else {
                    times.put(e.getKey(), e.getValue() - 1);
                }
            }
        }
        return out.toString();
    }

    private static void awaitCount(ConcurrentLinkedQueue<Download> done, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (done.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(done.size() >= n, "only " + done.size() + " of " + n + " downloads within " + timeout.toSeconds() + "s");
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
