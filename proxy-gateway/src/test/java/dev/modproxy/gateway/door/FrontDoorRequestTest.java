package dev.modproxy.gateway.door;

import dev.modproxy.gateway.auth.AccessTest;
import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.testing.RawHttp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.modproxy.gateway.service.ProxyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The corpus of refused spellings ({@code front-door/targets.tsv}) sent byte for byte through the
 * running gateway, authentication and access rules on, anonymously and as an admin: the status
 * is the door's, whoever asks, with a one-line text/plain reason. (That canonical targets get
 * their endpoint is {@code FrontDoorTest}'s and the system tests' business.)
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
@TestProfile(AccessTest.Secured.class)
class FrontDoorRequestTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RouterCapture routes;

    /**
     * Every Vert.x route registered with a path (the sumdb and audit forwarders, Quarkus' own) is
     * a target the door classifies, or a prefix under which the door classifies every path;
     * routes without a path are the chain's steps and the handlers that serve only the door's
     * targets (GOPROXY, quarantine, REST resources, static files).
     */
    @Test
    void everyRouteWithAPathIsATargetOfTheDoor() {
        List<String> seen = new ArrayList<>();
        for (Route route : routes.router().getRoutes()) {
            String path = route.getPath();
            if (path == null) {
                continue;
            }
            if (path.endsWith("/")) {
                // A prefix route or mounted router (Quarkus' /q/): it must be one the door owns.
                assertTrue(FrontDoor.PREFIXES.contains(path), "route prefix " + path + " is not the door's");
                seen.add(path + " (prefix)");
                continue;
            }
            String sample = path.endsWith("*") ? path.substring(0, path.length() - 1) + "sum.golang.org/latest" : path;
            Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty() ? Set.of(HttpMethod.GET) : route.methods();
            for (HttpMethod m : methods) {
                try {
                    Target t = FrontDoor.classify(m, sample, Spelling.decode(sample));
                    seen.add(m + " " + path + " -> " + t.kind());
                } catch (ProxyException e) {
                    fail("route " + m + " " + path + " is not a target the door knows: " + e.getMessage()
                            + "; all routes: " + routes.router().getRoutes().stream().map(r -> r.getPath() + " " + r.methods()).toList());
                }
            }
        }
        assertTrue(seen.size() >= 2, String.valueOf(seen));
    }

    @TestFactory
    Stream<DynamicTest> refusedSpellings() throws IOException {
        return FrontDoorCorpus.read().stream().filter(FrontDoorCorpus::refused).map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            for (String[] who : new String[][] {{}, {"Authorization: Bearer " + AccessTest.TOKEN}}) {
                RawHttp.Response r = RawHttp.send(base.getPort(), c.method(), c.target(), who);
                assertEquals(Integer.parseInt(c.expected()), r.status(), c + " " + String.join("", who) + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
                assertEquals("text/plain; charset=utf-8", r.header("Content-Type"), c.toString());
                String text = new String(r.body(), StandardCharsets.UTF_8);
                if (!c.method().equals("HEAD")) {
                    assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, c + ": " + text);
                }
            }
        }));
    }
}
