package dev.modproxy.system;

import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.BlobStores;
import dev.modproxy.storage.StorageSettings;
import dev.modproxy.storage.layout.ModuleLayout;
import dev.modproxy.testing.KafkaBroker;
import dev.modproxy.testing.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door as an outsider meets it: the packaged gateway with authentication on, every
 * admin endpoint and method ({@code front-door/admin-endpoints.tsv}) spelt every way of
 * {@code front-door/spellings.txt} behind every prefix of {@code front-door/prefixes.txt}, sent
 * byte for byte, anonymously and as a user without an admin role: never a 2xx, never a 5xx.
 * The admin, with the one canonical spelling, gets what the endpoint answers; the read-only
 * admin gets the read endpoints and a 403 for the others. A refusal is audited like any request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontDoorIT {

    private static Path dir;
    private static KafkaBroker broker;
    private static ServiceProcess audit;
    private static ServiceProcess gateway;

    private static final String ADMIN = "Authorization: Basic " + b64("root:root-pw");
    private static final String READER = "Authorization: Basic " + b64("carol:carol-pw");
    private static final String BOB = "Authorization: Basic " + b64("bob:bob-pw");

    record Endpoint(String method, String path, String query, byte[] body, int adminStatus, int readerStatus) {
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "front-door-it");
        broker = KafkaBroker.start(dir.resolve("kafka"));
        // One stored version (.mod, .zip, then .info, as the fetcher stores it) for the admin endpoints to show.
        try (BlobStore store = BlobStores.open(StorageSettings.fs(dir.resolve("storage")))) {
            ModuleVersion mv = ModuleVersion.of("example.com/m", "v1.0.0");
            byte[] mod = "module example.com/m\n".getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
            try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
                z.putNextEntry(new java.util.zip.ZipEntry("example.com/m@v1.0.0/go.mod"));
                z.write(mod);
            }
            byte[] info = "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
            for (var a : List.of(Map.entry(ProxyRequest.Type.MOD, mod), Map.entry(ProxyRequest.Type.ZIP, zip.toByteArray()),
                    Map.entry(ProxyRequest.Type.INFO, info))) {
                store.put(ModuleLayout.artifact(mv, a.getKey()), new ByteArrayInputStream(a.getValue()), a.getValue().length,
                        BlobStore.WriteMode.IMMUTABLE);
            }
        }
        audit = ServiceProcess.start("audit-service", "audit", dir.resolve("logs"), Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "MODPROXY_DATA_DIR", dir.resolve("audit").toString(),
                "MODPROXY_AUDIT_FLUSH_INTERVAL", "500ms"));
        Path users = dir.resolve("users");
        Files.writeString(users, "root:" + AccessIT.bcrypt("root-pw") + ":admin\n"
                + "carol:" + AccessIT.bcrypt("carol-pw") + ":admin-read\n"
                + "bob:" + AccessIT.bcrypt("bob-pw") + ":dev\n");
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", dir.resolve("storage").toString(),
                "MODPROXY_FETCHER_ENDPOINTS", "http://127.0.0.1:" + ServiceProcess.freePort(),
                "MODPROXY_AUDIT_ENDPOINT", audit.url(),
                "MODPROXY_AUTH_ENABLED", "true",
                "MODPROXY_AUTH_USERS_FILE", users.toString(),
                // 127.0.0.3 plays the Ingress: only its X-Forwarded-For is believed.
                "MODPROXY_GATEWAY_TRUSTED_PROXIES", "127.0.0.3/32",
                // Thousands of requests from one address: the per-client limit is not under test.
                "MODPROXY_QOS_PER_CLIENT_RPS", "0"));
        // The debug endpoints on, so they are held to the admin read role like the rest.
        env.put("MODPROXY_DEBUG_ECHO", "true");
        gateway = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), env);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, audit, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void noSpellingReachesAnAdminEndpointWithoutTheRole() throws Exception {
        List<String> spellings = lines("spellings.txt");
        List<String> prefixes = lines("prefixes.txt");
        int sent = 0;
        List<String> breaches = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (String target : targets(e, spellings, prefixes)) {
                for (String who : new String[] {null, BOB}) {
                    RawHttp.Response r = who == null ? send(e.method(), target, e.body())
                            : send(e.method(), target, e.body(), who);
                    sent++;
                    if (r.status() < 300 || r.status() >= 500) {
                        breaches.add(e.method() + " " + target + (who == null ? " anonymous" : " as bob") + " -> "
                                + r.status() + " " + r.text().lines().findFirst().orElse(""));
                    }
                }
            }
            // Every other method on the canonical path: refused too.
            for (String m : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                for (String who : new String[] {null, BOB, READER}) {
                    String target = "/" + e.path() + e.query();
                    RawHttp.Response r = who == null ? send(m, target, null) : send(m, target, null, who);
                    sent++;
                    boolean readable = who == READER && e.readerStatus() < 300 && (m.equals("GET") || m.equals("HEAD"));
                    if (!readable && r.status() < 300 || r.status() >= 500) {
                        breaches.add(m + " " + target + " -> " + r.status());
                    }
                }
            }
        }
        assertEquals(List.of(), breaches, breaches.size() + " of " + sent + " requests reached an endpoint or failed");
        assertTrue(sent > 3000, "sent " + sent);
        System.out.println("FrontDoorIT: " + sent + " hostile requests, none reached an admin endpoint");
    }

    @Test
    void theCanonicalSpellingGetsEachRoleItsAnswer() throws Exception {
        for (Endpoint e : endpoints()) {
            String target = "/" + e.path() + e.query();
            RawHttp.Response anonymous = send(e.method(), target, e.body());
            assertEquals(401, anonymous.status(), target + ": " + anonymous.text());
            assertTrue(anonymous.header("WWW-Authenticate").contains("Basic") && anonymous.header("WWW-Authenticate").contains("Bearer"));
            RawHttp.Response bob = send(e.method(), target, e.body(), BOB);
            assertEquals(403, bob.status(), target + ": " + bob.text());
            RawHttp.Response carol = send(e.method(), target, e.body(), READER);
            assertEquals(e.readerStatus(), carol.status(), "read-only admin " + e.method() + " " + target + ": " + carol.text());
            RawHttp.Response admin = send(e.method(), target, e.body(), ADMIN);
            assertEquals(e.adminStatus(), admin.status(), "admin " + e.method() + " " + target + ": " + admin.text());
        }
    }

    @Test
    void aRefusedSpellingIsAudited() throws Exception {
        String since = java.time.Instant.now().minusSeconds(1).toString();
        String marker = "front-door-probe-" + java.util.UUID.randomUUID();
        RawHttp.Response probe = send("GET", "/q/%2e%2e/api/v1/audit?format=ndjson", null, "User-Agent: " + marker);
        assertEquals(400, probe.status(), probe.text());
        String query = "/api/v1/audit?since=" + since + "&status=400&kind=api&format=ndjson";
        long deadline = System.nanoTime() + 30_000_000_000L;
        String trail = "";
        while (System.nanoTime() < deadline && !trail.contains(marker)) {
            Thread.sleep(500);
            trail = send("GET", query, null, ADMIN).text();
        }
        assertTrue(trail.contains(marker), "the refused request is not in the audit trail: " + trail);
    }

    @Test
    void theAuditTrailNamesTheForwardedClientOnlyBehindATrustedProxy() throws Exception {
        String since = java.time.Instant.now().minusSeconds(1).toString();
        String marker = "front-door-xff-" + java.util.UUID.randomUUID();
        int port = URI.create(gateway.url()).getPort();
        java.net.InetAddress ingress = java.net.InetAddress.getByName("127.0.0.3");
        java.net.InetAddress other = java.net.InetAddress.getByName("127.0.0.4");
        RawHttp.sendFrom(ingress, port, "GET", "/example.com/m/@v/v1.0.0.info", null, "User-Agent: " + marker + "-a",
                "X-Forwarded-For: 203.0.113.5, 198.51.100.7");
        RawHttp.sendFrom(other, port, "GET", "/example.com/m/@v/v1.0.0.info", null, "User-Agent: " + marker + "-b",
                "X-Forwarded-For: 198.51.100.8");
        String query = "/api/v1/audit?since=" + since + "&module=example.com/m&format=ndjson";
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> mine = List.of();
        while (System.nanoTime() < deadline && mine.size() < 2) {
            Thread.sleep(500);
            mine = send("GET", query, null, ADMIN).text().lines().filter(l -> l.contains(marker)).toList();
        }
        assertEquals(2, mine.size(), String.valueOf(mine));
        for (String event : mine) {
            String client = event.contains(marker + "-a") ? "198.51.100.7" : "127.0.0.4";
            assertTrue(event.contains("\"client\":\"" + client + "\""), event);
        }
    }

    @Test
    void aStateChangingAdminRequestFromAnotherSiteIsRefused() throws Exception {
        String target = "/api/v1/quarantine/example.com/m@v1.0.0?reason=csrf";
        for (String[] headers : new String[][] {{ADMIN, "Origin: https://evil.example"}, {ADMIN, "Sec-Fetch-Site: cross-site"},
                {ADMIN, "Origin: null"}, {ADMIN, "Sec-Fetch-Site: same-site"}}) {
            RawHttp.Response r = send("POST", target, null, headers);
            assertEquals(403, r.status(), String.join(" ", headers) + ": " + r.text());
            assertTrue(r.text().startsWith("forbidden: a state-changing admin request from another site"), r.text());
        }
        // The console's own origin, and clients that are not browsers, pass.
        assertEquals(200, send("POST", target, null, ADMIN, "Origin: http://localhost").status());
        assertEquals(200, send("DELETE", "/api/v1/quarantine/example.com/m@v1.0.0", null, ADMIN, "Sec-Fetch-Site: same-origin").status());
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it leaves this client address throttled for a minute
    void failedLoginsAreThrottled() throws Exception {
        int throttled = 0;
        for (int i = 0; i < 30; i++) {
            RawHttp.Response r = send("GET", "/api/v1/quarantine", null,
                    "Authorization: Basic " + b64("mallory" + i + ":guess"), "X-Forwarded-For: 10.0.0." + i);
            if (r.status() == 429) {
                throttled++;
                assertTrue(r.header("Retry-After") != null && r.text().startsWith("too many failed logins"), r.text());
            } else {
                assertEquals(401, r.status());
            }
        }
        // 20 failures a minute per client address (the default), then 429 without a password check.
        assertEquals(10, throttled);
    }

    private static List<String> targets(Endpoint e, List<String> spellings, List<String> prefixes) {
        String path = e.path();
        String encodedFirst = "%" + Integer.toHexString(path.charAt(0)).toUpperCase(Locale.ROOT) + path.substring(1);
        List<String> out = new ArrayList<>();
        for (String s : spellings) {
            String t = s.replace("{E1}", encodedFirst).replace("{EU}", path.toUpperCase(Locale.ROOT)).replace("{E}", path);
            if (t.contains("{P}")) {
                for (String p : prefixes) {
                    out.add(t.replace("{P}", p) + e.query());
                }
            } else {
                out.add(t + e.query());
            }
        }
        return out;
    }

    private static List<Endpoint> endpoints() throws IOException {
        List<Endpoint> out = new ArrayList<>();
        for (String line : lines("admin-endpoints.tsv")) {
            String[] f = line.split("\t");
            int q = f[1].indexOf('?');
            out.add(new Endpoint(f[0], q < 0 ? f[1] : f[1].substring(0, q), q < 0 ? "" : f[1].substring(q),
                    f[2].equals("-") ? null : f[2].getBytes(StandardCharsets.UTF_8),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4])));
        }
        return out;
    }

    private static List<String> lines(String name) throws IOException {
        try (InputStream in = FrontDoorIT.class.getResourceAsStream("/front-door/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }

    private static RawHttp.Response send(String method, String target, byte[] body, String... headers) throws IOException {
        return RawHttp.send(URI.create(gateway.url()).getPort(), method, target, body, headers);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
