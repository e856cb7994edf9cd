package dev.modproxy.system;

import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access control and policy as the {@code go} command meets them: a gateway serving HTTPS (a
 * self-signed certificate the go command trusts through {@code SSL_CERT_FILE}) with
 * authentication on, in front of a real fetcher and upstream. go sends {@code .netrc}
 * credentials (named by {@code NETRC}) over https only, which is why TLS is part of this test.
 * alice may read {@code corp.example.com/*}; bob is told "not found", an anonymous client is
 * challenged (401). {@code example.org/pub@v1.0.1} is blocked, {@code example.org/quar@v1.0.0}
 * quarantined and {@code example.org/fresh@v1.0.0} in its cooldown: each fails with its reason,
 * also when the client has a second proxy to fall back to.
 */
class AccessIT {

    private static final Instant TIME = Instant.parse("2023-05-06T07:08:09Z");
    private static final String REASON = "CVE-2099-0001: upgrade to v1.0.2";

    private static Path dir;
    private static UpstreamServer upstream;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static String https;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "access-it");
        GoProxyTree tree = new GoProxyTree(dir.resolve("upstream"));
        publish(tree, "corp.example.com/secret", "v1.0.0");
        publish(tree, "example.org/pub", "v1.0.0");
        publish(tree, "example.org/pub", "v1.0.1");
        publish(tree, "example.org/pub", "v1.0.2");
        publish(tree, "example.org/quar", "v1.0.0");
        // Released an hour ago: inside the 72h cooldown.
        tree.add("example.org/fresh", "v1.0.0", Instant.now().minusSeconds(3600), Map.of(
                "go.mod", "module example.org/fresh\n\ngo 1.19\n".getBytes(StandardCharsets.UTF_8),
                "lib.go", "package lib\n\nconst V = 1\n".getBytes(StandardCharsets.UTF_8)));
        upstream = new UpstreamServer(tree.root());

        Path storage = dir.resolve("storage");
        ServiceProcess fetcher = ServiceProcess.start("fetcher-service", "fetcher", dir.resolve("logs"), Map.of(
                "MODPROXY_UPSTREAM", upstream.url(),
                "MODPROXY_DATA_DIR", dir.resolve("fetcher").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString(),
                // Access and policy are under test here, not checksums: no sumdb-service.
                "MODPROXY_SUMDB_ENABLED", "false"));
        services.add(fetcher);

        Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + bcrypt("alice-pw") + ":dev\nbob:" + bcrypt("bob-pw") + "\n"
                + "root:" + bcrypt("root-pw") + ":admin\n");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                access:
                  - modules: ["corp.example.com"]
                    readers: ["alice"]
                deny:
                  - module: "example.org/pub"
                    versions: "v1.0.1"
                    reason: "%s"
                cooldown:
                  min-age: 72h
                  exempt: ["corp.example.com", "example.org/pub", "example.org/quar"]
                """.formatted(REASON));
        Path p12 = selfSigned(dir.resolve("tls"));
        int sslPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("MODPROXY_FETCHER_ENDPOINTS", fetcher.url());
        env.put("MODPROXY_DATA_DIR", dir.resolve("gateway").toString());
        env.put("MODPROXY_STORAGE_FS_ROOT", storage.toString());
        env.put("MODPROXY_AUTH_ENABLED", "true");
        env.put("MODPROXY_AUTH_USERS_FILE", users.toString());
        env.put("MODPROXY_POLICY_FILE", policy.toString());
        env.put("QUARKUS_TLS_KEY_STORE_P12_PATH", p12.toString());
        env.put("QUARKUS_TLS_KEY_STORE_P12_PASSWORD", "changeit");
        env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(sslPort));
        services.add(ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), env));
        ServiceProcess.awaitPort(sslPort, java.time.Duration.ofSeconds(10));
        https = "https://127.0.0.1:" + sslPort;
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (upstream != null) {
            upstream.close();
        }
    }

    private static void publish(GoProxyTree tree, String path, String version) {
        tree.add(path, version, TIME, Map.of(
                "go.mod", ("module " + path + "\n\ngo 1.19\n").getBytes(StandardCharsets.UTF_8),
                "lib.go", "package lib\n\nconst V = 1\n".getBytes(StandardCharsets.UTF_8)));
    }

    private static GoCommand go(String name, String user, String password) throws IOException {
        return go(name, user, password, https);
    }

    private static GoCommand go(String name, String user, String password, String goproxy) throws IOException {
        GoCommand go = new GoCommand(dir.resolve("go-" + name), goproxy);
        go.env("SSL_CERT_FILE", dir.resolve("tls/server.pem").toString());
        go.env("GOFLAGS", "-modcacherw");
        if (user != null) {
            Path netrc = dir.resolve("netrc-" + name);
            Files.writeString(netrc, "machine 127.0.0.1 login " + user + " password " + password + "\n");
            go.env("NETRC", netrc.toString());
        } else {
            go.env("NETRC", dir.resolve("no-netrc").toString());
        }
        return go;
    }

    @Test
    void aliceGetsThePrivateModuleWithNetrcCredentials() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-alice"));
        String out = go("alice", "alice", "alice-pw").run(work, "mod", "download", "-json", "corp.example.com/secret@v1.0.0")
                .ok().stdout();
        assertTrue(out.contains("\"Sum\": \"h1:"), out);
    }

    @Test
    void othersAreToldItDoesNotExistAndAnonymousIsAskedForCredentials() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-others"));
        GoCommand.Result bob = go("bob", "bob", "bob-pw").run(work, "mod", "download", "-json", "corp.example.com/secret@v1.0.0");
        assertNotEquals(0, bob.exitCode());
        assertTrue((bob.stdout() + bob.stderr()).contains("404 Not Found"), bob.stdout() + bob.stderr());
        assertTrue(!(bob.stdout() + bob.stderr()).contains("403"), bob.stdout() + bob.stderr());
        // Without credentials: a 401 challenge, which go reports and does not fall through on,
        // even with a second proxy that has the module.
        for (String goproxy : List.of(https, https + "," + upstream.url())) {
            GoCommand.Result anonymous = go("anonymous", null, null, goproxy)
                    .run(work, "mod", "download", "-json", "corp.example.com/secret@v1.0.0");
            assertNotEquals(0, anonymous.exitCode(), goproxy);
            assertTrue((anonymous.stdout() + anonymous.stderr()).contains("401 Unauthorized"), anonymous.stdout() + anonymous.stderr());
        }
        GoCommand.Result wrong = go("wrong", "alice", "nope").run(work, "mod", "download", "corp.example.com/secret@v1.0.0");
        assertNotEquals(0, wrong.exitCode());
        assertTrue(wrong.stderr().contains("401 Unauthorized"), wrong.stderr());
    }

    @Test
    void aBlockedVersionFailsWithItsReasonInGoGet() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-get"));
        Files.writeString(work.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        GoCommand go = go("get", "bob", "bob-pw");
        GoCommand.Result blocked = go.run(work, "get", "example.org/pub@v1.0.1");
        assertNotEquals(0, blocked.exitCode());
        assertTrue(blocked.stderr().contains(REASON), blocked.stderr());
        go.run(work, "get", "example.org/pub@v1.0.2").ok();
        assertTrue(Files.readString(work.resolve("go.mod")).contains("example.org/pub v1.0.2"));
    }

    /**
     * A block holds whatever the client's fallback: with a second proxy that has every version
     * after a ',' (go falls through on 404 and 410), a denied, a quarantined and a cooling-down
     * version all fail with their reason, because modproxy answers 403.
     */
    @Test
    void blocksHoldAgainstTheClientsFallbackProxy() throws Exception {
        String quarantine = "/api/v1/quarantine/example.org/quar@v1.0.0?reason=" + "takedown-for-test";
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(trusting()).build();
        java.net.http.HttpResponse<String> q = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(https + quarantine))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("root:root-pw".getBytes(StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(q.statusCode() == 200, q.statusCode() + " " + q.body());

        Path work = Files.createDirectories(dir.resolve("work-fallback"));
        GoCommand go = go("fallback", "bob", "bob-pw", https + "," + upstream.url());
        Map<String, String> blocked = Map.of(
                "example.org/pub@v1.0.1", REASON,
                "example.org/quar@v1.0.0", "quarantined: takedown-for-test",
                "example.org/fresh@v1.0.0", "cooldown");
        for (var b : blocked.entrySet()) {
            GoCommand.Result r = go.run(work, "mod", "download", "-json", b.getKey());
            String out = r.stdout() + r.stderr();
            assertNotEquals(0, r.exitCode(), b.getKey() + " was fetched from the fallback proxy: " + out);
            assertTrue(out.contains("403 Forbidden") && out.contains(b.getValue()), b.getKey() + ": " + out);
        }
        // What is not blocked still comes through modproxy.
        assertTrue(go.run(work, "mod", "download", "-json", "example.org/pub@v1.0.2").ok().stdout().contains("\"Sum\": \"h1:"));
    }

    private static javax.net.ssl.SSLContext trusting() throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        ks.load(null, null);
        try (var in = Files.newInputStream(dir.resolve("tls/server.pem"))) {
            ks.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 6);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** server.p12 (key and self-signed certificate for 127.0.0.1) and server.pem, made with keytool. */
    static Path selfSigned(Path tls) throws Exception {
        Files.createDirectories(tls);
        Path p12 = tls.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", p12.toString(),
                "-storepass", "changeit", "-file", tls.resolve("server.pem").toString()));
        return p12;
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
