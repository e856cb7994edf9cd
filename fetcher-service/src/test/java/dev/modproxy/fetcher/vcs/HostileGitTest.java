package dev.modproxy.fetcher.vcs;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.modproxy.testing.InternalCalls.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct fetching against a hostile git host ({@link HostileGitServer}): a go-import page and a
 * ref advertisement drip-fed one byte a second, and a pack that never ends. Each fails within
 * {@code modproxy.vcs.deadline} (3s here; the idle timeout stays at its 120s default, which a
 * drip never trips) or at {@code modproxy.vcs.max-repo-bytes} (2 MiB) with a reason; the one
 * fetch slot there is ({@code max-concurrent=1}) is free again for the next module, and the
 * half-made mirror is gone from disk.
 */
@QuarkusTest
@QuarkusTestResource(value = HostileGitTest.Servers.class, restrictToAnnotatedClass = true)
class HostileGitTest {

    static final String HOSTILE = "127.0.0.41";
    static final String GOOD = "127.0.0.42";
    static final long MAX_REPO = 2 * 1024 * 1024;

    public static class Servers implements QuarkusTestResourceLifecycleManager {
        private HostileGitServer hostile;
        private GitHttpServer good;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hostile");
                hostile = new HostileGitServer(HOSTILE);
                good = new GitHttpServer(GOOD, null, dir.resolve("good")).repo("team/lib", GOOD + "/team/lib.git");
                return Map.of("modproxy.upstream", "direct",
                        "modproxy.insecure", HOSTILE + "," + GOOD,
                        "modproxy.vcs.allow-loopback", "true",
                        "modproxy.vcs.deadline", "3s",
                        "modproxy.vcs.max-repo-bytes", Long.toString(MAX_REPO),
                        "modproxy.fetch.max-concurrent", "1",
                        "modproxy.fetch.queue-timeout", "20s",
                        "modproxy.data-dir", dir.resolve("data").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            try {
                hostile.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            good.close();
        }
    }

    /** A request that gives up after 30 s, so today's unbounded fetch fails the test instead of hanging it. */
    private static Response fetch(String module) {
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", 30_000).setParam("http.connection.timeout", 30_000)))
                .get("/internal/v1/fetch/" + module + "/@v/list");
    }

    private static void goodModuleStillFetches() {
        given().get("/internal/v1/fetch/" + GOOD + "/team/lib.git/@v/v1.0.0.info")
                .then().statusCode(200);
    }

    private static long vcsBytes() throws IOException {
        Path vcs = ConfigProvider.getConfig().getValue("modproxy.data-dir", Path.class).resolve("vcs");
        if (!Files.exists(vcs)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(vcs)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void aDripFedGoImportPageEndsAtTheDeadlineAndFreesTheSlot() throws Exception {
        long start = System.nanoTime();
        // the good module waits for the only slot while the drip holds it
        CompletableFuture<Response> drip = CompletableFuture.supplyAsync(() -> fetch(HOSTILE + "/drip"));
        Thread.sleep(500);
        goodModuleStillFetches();
        Response r = drip.get(40, TimeUnit.SECONDS);
        assertEquals(504, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("modproxy.vcs.deadline"), r.asString());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 15, "took too long");
    }

    @Test
    void aDripFedRefAdvertisementEndsAtTheDeadline() {
        Response r = fetch(HOSTILE + "/slow");
        assertEquals(504, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("modproxy.vcs.deadline"), r.asString());
        goodModuleStillFetches();
    }

    @Test
    void anEndlessPackIsCutAtMaxRepoBytesAndItsMirrorRemoved() throws Exception {
        Response r = fetch(HOSTILE + "/big");
        assertEquals(502, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("modproxy.vcs.max-repo-bytes"), r.asString());
        assertTrue(vcsBytes() < MAX_REPO, "mirrors hold " + vcsBytes() + " bytes");
        try (Stream<Path> s = Files.list(ConfigProvider.getConfig().getValue("modproxy.data-dir", Path.class).resolve("vcs"))) {
            // only the good module's mirror (if its test ran first) may remain
            assertTrue(s.count() <= 1);
        }
        goodModuleStillFetches();
    }
}
