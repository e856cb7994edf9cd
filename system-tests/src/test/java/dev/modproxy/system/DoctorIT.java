package dev.modproxy.system;

import dev.modproxy.testing.GoCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Is my go using modproxy?" as a user asks it: {@code curl -fsS <gateway>/doctor | sh} in a
 * clean HOME with the real go command, against a gateway and modproxy's own sumdb-service as
 * processes. A setup made from {@code /api/v1/client/env} passes with the canary seen by the
 * gateway; each broken setup is reported with its cause and exit status 1. A second gateway has
 * authentication on (no anonymous reading) and the debug endpoints on: a go without credentials
 * is told so, and the echo is admin-only and prints no credential. The first gateway has the
 * debug endpoints off (404).
 */
class DoctorIT {

    private static final String DB = "sum.doctor.test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path dir;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static String gw;
    private static String secured;
    private static String securedHttps;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "doctor-it");
        ServiceProcess sumdb = ServiceProcess.start("sumdb-service", "sumdb", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_NAME", DB, "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_FETCHER_ENDPOINTS", "http://127.0.0.1:1",
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", dir.resolve("sumdb-storage").toString()));
        services.add(sumdb);
        Map<String, String> env = new HashMap<>(Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", "http://127.0.0.1:1",
                "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", dir.resolve("storage").toString()));
        ServiceProcess open = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), env);
        services.add(open);
        gw = open.url();

        Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + AccessIT.bcrypt("alice-pw") + "\nroot:" + AccessIT.bcrypt("root-pw") + ":admin\n");
        env.put("MODPROXY_DATA_DIR", dir.resolve("gateway-secured").toString());
        env.put("MODPROXY_AUTH_ENABLED", "true");
        env.put("MODPROXY_AUTH_ANONYMOUS", "false");
        env.put("MODPROXY_AUTH_USERS_FILE", users.toString());
        env.put("MODPROXY_DEBUG_ECHO", "true");
        // HTTPS too: go sends .netrc credentials over https only.
        Path p12 = AccessIT.selfSigned(dir.resolve("tls"));
        int sslPort = ServiceProcess.freePort();
        env.put("QUARKUS_TLS_KEY_STORE_P12_PATH", p12.toString());
        env.put("QUARKUS_TLS_KEY_STORE_P12_PASSWORD", "changeit");
        env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(sslPort));
        ServiceProcess closed = ServiceProcess.start("proxy-gateway", "gateway-secured", dir.resolve("logs"), env);
        services.add(closed);
        secured = closed.url();
        ServiceProcess.awaitPort(sslPort, java.time.Duration.ofSeconds(10));
        securedHttps = "https://127.0.0.1:" + sslPort;
        key = get(gw + "/api/v1/sumdb/verifier-key", null).body().strip();
        assertTrue(key.startsWith(DB + "+"), key);
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
    }

    private record Run(int exit, String out) {
    }

    /**
     * {@code sh -c <command>} with a clean HOME (so go's GOENV file is {@code $HOME/.config/go/env})
     * and only the variables given: what a user's shell would have.
     */
    private static Run sh(String name, String command, Map<String, String> vars) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-" + name));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", GoCommand.binary().getParent() + ":/usr/bin:/bin");
        pb.environment().put("GOCACHE", home.resolve("gocache").toString());
        pb.environment().put("NETRC", home.resolve("no-netrc").toString());
        pb.environment().putAll(vars);
        Path out = home.resolve("out-" + System.nanoTime() + ".txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 3 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static Run doctor(String name, String gateway, Map<String, String> vars, String... args) throws Exception {
        return sh(name, "curl -fsS " + gateway + "/doctor | sh -s -- " + String.join(" ", args), vars);
    }

    @Test
    void aSetupFromTheClientSettingsIsOkAndTheCanaryIsSeen() throws Exception {
        // go env -w, as the settings endpoint says: writes the GOENV file in the clean HOME.
        Run setup = sh("ok", "curl -fsS " + gw + "/api/v1/client/env | sh", Map.of());
        assertEquals(0, setup.exit(), setup.out());
        Path goenv = dir.resolve("home-ok/.config/go/env");
        assertTrue(Files.readString(goenv).contains("GOSUMDB=" + key), Files.readString(goenv));

        Run ok = doctor("ok", gw, Map.of());
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("OK: go → modproxy " + gw + " as anonymous, sums checked by " + DB), ok.out());
        assertFalse(ok.out().contains("FAIL"), ok.out());

        Run json = doctor("ok", gw, Map.of(), "--json");
        assertEquals(0, json.exit(), json.out());
        assertTrue(json.out().contains("\"ok\": true"), json.out());
        assertTrue(json.out().contains("\"seen\": true"), json.out());
        assertTrue(json.out().contains("\"address\": \"127.0.0.1\""), json.out());
        assertTrue(json.out().contains("\"sumdb\": \"" + DB + "\""), json.out());

        // The same with exports instead of a GOENV file.
        Run exports = sh("exports", "eval \"$(curl -fsS '" + gw + "/api/v1/client/env?format=sh')\" && curl -fsS "
                + gw + "/doctor | sh", Map.of());
        assertEquals(0, exports.exit(), exports.out());
        assertTrue(exports.out().contains("OK: go → modproxy"), exports.out());
    }

    @Test
    void aGoenvFileOverridingGoproxyIsNamedWithItsFix() throws Exception {
        Path goenv = Files.createDirectories(dir.resolve("home-goenv/.config/go")).resolve("env");
        Files.writeString(goenv, "GOPROXY=http://127.0.0.1:1\nGOSUMDB=" + key + "\n");
        Run r = doctor("goenv", gw, Map.of());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("GOPROXY=http://127.0.0.1:1 (from the GOENV file " + goenv), r.out());
        assertTrue(r.out().contains("fix: go env -w GOPROXY='" + gw + "'"), r.out());
        assertTrue(r.out().contains("FAIL: 1 problem(s), first GOPROXY"), r.out());
    }

    @Test
    void directBeforeModproxyIsReported() throws Exception {
        Run r = doctor("direct", gw, Map.of("GOPROXY", "direct," + gw, "GOSUMDB", key));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("(from the environment variable GOPROXY): direct comes before modproxy"), r.out());
        assertTrue(r.out().contains("fix: export GOPROXY='" + gw + "'"), r.out());
    }

    @Test
    void aGonosumdbPatternTooWideIsReportedAndTheSumsAreSeenUnchecked() throws Exception {
        Run r = doctor("nosumdb", gw, Map.of("GOPROXY", gw, "GOSUMDB", key, "GONOSUMDB", "*"), "--json");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("\"check\": \"GONOSUMDB\", \"message\": \"pattern '*' of GONOSUMDB=* (the environment variable GONOSUMDB) is too wide"), r.out());
        // The canary went through modproxy, but go never asked the checksum database.
        assertTrue(r.out().contains("\"seen\": true"), r.out());
        assertTrue(r.out().contains("go did not ask modproxy's checksum database"), r.out());
        assertTrue(r.out().contains("\"ok\": false"), r.out());

        Run priv = doctor("private", gw, Map.of("GOPROXY", gw, "GOSUMDB", key, "GOPRIVATE", "modproxy.invalid"));
        assertEquals(1, priv.exit(), priv.out());
        assertTrue(priv.out().contains("pattern 'modproxy.invalid' of GONOPROXY=modproxy.invalid (GOPRIVATE, from the environment variable GOPRIVATE) matches modproxy.invalid/canary"), priv.out());
        assertTrue(priv.out().contains("fix: unset GOPRIVATE"), priv.out());
    }

    @Test
    void goflagsWithModVendorIsReported() throws Exception {
        Run r = doctor("vendor", gw, Map.of("GOPROXY", gw, "GOSUMDB", key, "GOFLAGS", "-mod=vendor -trimpath"));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("GOFLAGS=-mod=vendor -trimpath (from the environment variable GOFLAGS) has -mod=vendor"), r.out());
        assertTrue(r.out().contains("fix: export GOFLAGS='-trimpath'"), r.out());
    }

    @Test
    void missingCredentialsWithAuthenticationOnAreReported() throws Exception {
        Run r = doctor("nocreds", secured, Map.of("GOPROXY", secured, "GOSUMDB", key));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("FAIL  credentials modproxy asked go for credentials (401)"), r.out());
        assertTrue(r.out().contains("machine 127.0.0.1 login <user> password <token>"), r.out());
        assertTrue(r.out().contains("go sends .netrc credentials over https only"), r.out());
    }

    /**
     * With credentials in .netrc and the https URL (curl and go trust the test CA through
     * CURL_CA_BUNDLE and SSL_CERT_FILE): OK, and the gateway saw the canary as alice.
     */
    @Test
    void withCredentialsOverHttpsTheCanaryIsSeenAsTheUser() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-alice"));
        Files.writeString(home.resolve(".netrc"), "machine 127.0.0.1 login alice password alice-pw\n");
        String ca = dir.resolve("tls/server.pem").toString();
        Map<String, String> vars = Map.of("GOPROXY", securedHttps, "GOSUMDB", key, "NETRC", home.resolve(".netrc").toString(),
                "SSL_CERT_FILE", ca, "CURL_CA_BUNDLE", ca);
        Run r = doctor("alice", securedHttps, vars);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("OK: go → modproxy " + securedHttps + " as alice, sums checked by " + DB), r.out());
        assertFalse(r.out().contains("alice-pw"), r.out());

        // Without the CA, go refuses modproxy's certificate, and the doctor says so.
        Run untrusted = doctor("alice", securedHttps, Map.of("GOPROXY", securedHttps, "GOSUMDB", key,
                "NETRC", home.resolve(".netrc").toString(), "CURL_CA_BUNDLE", ca));
        assertEquals(1, untrusted.exit(), untrusted.out());
        assertTrue(untrusted.out().matches("(?s).*FAIL +TLS +go does not trust modproxy.s certificate.*"), untrusted.out());
    }

    @Test
    void theDebugEndpointsAreOffByDefaultAdminOnlyWhenOnAndPrintNoCredential() throws Exception {
        assertEquals(404, get(gw + "/api/v1/debug/echo", null).statusCode());
        assertEquals(404, get(gw + "/api/v1/debug/route/golang.org/x/text", null).statusCode());
        assertEquals(401, get(secured + "/api/v1/debug/echo", null).statusCode());
        assertEquals(403, get(secured + "/api/v1/debug/echo", basic("alice", "alice-pw")).statusCode());

        HttpResponse<String> echo = HTTP.send(HttpRequest.newBuilder(URI.create(secured + "/api/v1/debug/echo?a=1&token=q-s3cret"))
                .header("Authorization", basic("root", "root-pw")).header("Cookie", "session=c-s3cret")
                .header("X-Api-Key", "k-s3cret").header("X-Forwarded-For", "203.0.113.7").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, echo.statusCode(), echo.body());
        String body = echo.body();
        String lower = body.toLowerCase(java.util.Locale.ROOT); // HTTP/2 sends header names in lower case
        assertTrue(body.contains("identity: root (basic)"), body);
        assertTrue(body.contains("client: 127.0.0.1 "), body); // no trusted proxy: the header is not believed
        assertTrue(lower.contains("x-forwarded-for: 203.0.113.7"), body);
        assertTrue(lower.contains("authorization: basic [redacted]"), body);
        assertTrue(lower.contains("target: /api/v1/debug/echo?a=1&token=[redacted]"), body);
        for (String secret : List.of("root-pw", Base64.getEncoder().encodeToString("root:root-pw".getBytes(StandardCharsets.UTF_8)),
                "c-s3cret", "k-s3cret", "q-s3cret")) {
            assertFalse(body.contains(secret), "echo printed a credential: " + body);
        }

        HttpResponse<String> route = get(secured + "/api/v1/debug/route/golang.org/x/text", basic("root", "root-pw"));
        assertEquals(200, route.statusCode(), route.body());
        assertTrue(route.body().contains("fetcher: http://127.0.0.1:1 (owner"), route.body());
        assertTrue(route.body().contains("stored: 0 version(s)"), route.body());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String url, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
