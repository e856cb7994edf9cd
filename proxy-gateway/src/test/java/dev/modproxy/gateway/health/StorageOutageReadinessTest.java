package dev.modproxy.gateway.health;

import dev.modproxy.gateway.support.TestStorage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Readiness follows storage: the fs store's directory vanishing (as when its volume is
 * unmounted) takes the gateway out of the load balancer within 10 s, and its return brings it
 * back within 10 s, with no restart. The store itself is the real fs store; nothing is faked.
 * (Tests run as root here, so taking permissions away would not stop the writes: the directory
 * is moved aside instead.)
 */
@QuarkusTest
class StorageOutageReadinessTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void readinessFlipsDownWhenStorageGoesAndUpWhenItComesBack() throws Exception {
        Path root = TestStorage.ROOT.toAbsolutePath();
        Files.createDirectories(root);
        awaitReady(r -> r.statusCode() == 200, "ready before the outage");
        Path aside = root.resolveSibling("storage-away-" + UUID.randomUUID());
        Files.move(root, aside);
        try {
            long took = awaitReady(r -> r.statusCode() == 503 && "DOWN".equals(storageStatus(r)),
                    "not ready while storage is gone");
            assertTrue(took <= LIMIT.toMillis(), "went down after " + took + " ms");
        } finally {
            Files.move(aside, root);
        }
        long took = awaitReady(r -> r.statusCode() == 200 && "UP".equals(storageStatus(r)), "ready again");
        assertTrue(took <= LIMIT.toMillis(), "came back after " + took + " ms");
    }

    private static String storageStatus(Response r) {
        JsonPath json = r.jsonPath();
        return json.getString("checks.find { it.name == 'storage' }.status");
    }

    /** Polls /q/health/ready until {@code wanted}; returns the milliseconds it took, failing after the limit. */
    private static long awaitReady(Predicate<Response> wanted, String what) throws InterruptedException {
        long start = System.nanoTime();
        Response last;
        do {
            last = given().get("/q/health/ready");
            if (wanted.test(last)) {
                return Duration.ofNanos(System.nanoTime() - start).toMillis();
            }
            Thread.sleep(200);
        } while (System.nanoTime() - start < LIMIT.toNanos());
        return fail(what + ": no flip within " + LIMIT + "; last answer " + last.statusCode() + " " + last.asString());
    }
}
