package dev.modproxy.gateway.events;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.module.ModuleVersion;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.modproxy.gateway.support.TestModules.mv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #24: an answer the client has in full has its audit event in the journal already. The
 * gateway is held just after its last write (the moment a SIGKILL lost the event before: the
 * client had every byte, the end handler had not run); the client reads the whole answer, and
 * the journal must count the event while the gateway is still held. With the event written in
 * the end handler, each of these fails.
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(WriteAheadTest.Audited.class)
class WriteAheadTest {

    static final ModuleVersion MV = mv("example.com/writeahead", "v1.0.0");

    /** Auditing on, the journal of its own; no broker (port 1 refuses): events wait in the journal. */
    public static class Audited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path spool = Path.of("target/write-ahead-test", UUID.randomUUID().toString()).toAbsolutePath();
            return Map.of("modproxy.audit.enabled", "true",
                    "kafka.bootstrap.servers", "127.0.0.1:1",
                    "modproxy.audit.spool.dir", spool.toString());
        }
    }

    /** Test only: holds the event loop right after a response's last write, for requests that ask. */
    @ApplicationScoped
    public static class HoldAfterLastWrite {
        static volatile CountDownLatch held = new CountDownLatch(1);
        static volatile CountDownLatch release = new CountDownLatch(1);

        void register(@Observes Router router) {
            // Right after the audit hook (MIN_VALUE + 10), before anything can answer.
            router.route().order(Integer.MIN_VALUE + 11).handler(ctx -> {
                if (ctx.request().getHeader("X-Test-Hold") != null) {
                    CountDownLatch h = held;
                    CountDownLatch r = release;
                    // Body-end handlers run after the last write is handed to the socket, before the end handlers.
                    ctx.addBodyEndHandler(v -> {
                        h.countDown();
                        try {
                            r.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    // The rest of the chain as a task of its own, as any answer after storage or a
                    // fetcher: not inside the read of the request, whose bytes Vert.x would flush
                    // only after every handler (the end handlers too) had returned.
                    ctx.vertx().runOnContext(v -> ctx.next());
                    return;
                }
                ctx.next();
            });
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    RecordingBlobStore store;

    @Inject
    AuditTrail trail;

    @FakeFetchers.Fetchers
    FakeFetchers fetchers;

    // HTTP/1.1 as go speaks it to an http:// proxy (the JDK client would otherwise upgrade to h2c).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void prepare() throws Exception {
        TestModules.storeVersion(store.delegate(), MV);
        fetchers.clear();
        HoldAfterLastWrite.held = new CountDownLatch(1);
        HoldAfterLastWrite.release = new CountDownLatch(1);
    }

    @AfterEach
    void release() {
        HoldAfterLastWrite.release.countDown();
    }

    @Test
    void anInMemoryAnswerHasItsEventBeforeItsLastByte() throws Exception {
        HttpResponse<byte[]> r = heldGet("/example.com/writeahead/@v/v1.0.0.mod");
        assertEquals(200, r.statusCode());
        assertArrayEquals(TestModules.mod(MV), r.body());
    }

    @Test
    void aStreamedAnswerHasItsEventBeforeItsLastPart() throws Exception {
        // 300 KB, larger than the memory cache takes: streamed from storage in 64 KB parts.
        HttpResponse<byte[]> r = heldGet("/example.com/writeahead/@v/v1.0.0.zip");
        assertEquals(200, r.statusCode());
        assertArrayEquals(TestModules.zip(MV), r.body());
    }

    @Test
    void anErrorAnswerHasItsEventBeforeItsLastByte() throws Exception {
        // The fake fetcher's "unknown revision" 404, relayed as one line of text.
        HttpResponse<byte[]> r = heldGet("/example.com/notfound/@v/v1.0.0.info");
        assertEquals(404, r.statusCode());
    }

    /**
     * GETs {@code target} with the gateway held after its last write, and checks that the journal
     * took the request's one event while it was held, and no second one after.
     */
    private HttpResponse<byte[]> heldGet(String target) throws Exception {
        long before = trail.publisher().published();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + target))
                .header("X-Test-Hold", "1").timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        // The whole answer is here; the gateway must still be held after its last write.
        assertTrue(HoldAfterLastWrite.held.await(10, TimeUnit.SECONDS), "the gateway never reached the end of " + target);
        long during = trail.publisher().published();
        HoldAfterLastWrite.release.countDown();
        assertEquals(before + 1, during, "events in the journal while the client had all of " + target);
        Thread.sleep(200);
        assertEquals(before + 1, trail.publisher().published(), "events after the end of " + target);
        return r;
    }
}
