package dev.modproxy.gateway.client;

import dev.modproxy.gomod.module.ModulePath;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.modproxy.gateway.client.FetcherRingTest.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dns+http://} entries through an injected resolver (a map the test edits). */
class FetcherEndpointsTest {

    private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final Function<String, List<InetAddress>> resolver = name -> {
        lookups.incrementAndGet();
        List<InetAddress> a = dns.get(name);
        if (a == null) {
            throw new UncheckedIOException(new UnknownHostException(name));
        }
        return a;
    };

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<URI> uris(String... s) {
        return java.util.Arrays.stream(s).map(URI::create).toList();
    }

    @Test
    void aDnsEntryIsEveryAddressOfItsNameMixedWithStaticEntries() {
        dns.put("fetchers.example", List.of(ip("10.0.0.2"), ip("10.0.0.1"), ip("fd00::7")));
        FetcherRing ring = new FetcherRing(uris("http://static-0:8081/", "dns+http://fetchers.example:8081"), resolver);
        assertEquals(uris("http://static-0:8081", "http://10.0.0.1:8081", "http://10.0.0.2:8081", "http://[fd00:0:0:0:0:0:0:7]:8081"),
                ring.endpoints());
        assertEquals(4, ring.order(path("example.com/a")).size());
    }

    @Test
    void aChangedAnswerRebuildsTheRingAndMovesOnlyTheModulesOfMembersThatLeft() {
        dns.put("f", List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3"), ip("10.0.0.4")));
        FetcherRing ring = new FetcherRing(uris("dns+http://f:8081"), resolver);
        List<ModulePath> modules = new ArrayList<>();
        List<URI> before = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            modules.add(path("example.com/m" + i));
            before.add(ring.order(modules.get(i)).get(0));
        }
        dns.put("f", List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.4")));
        ring.refresh();
        assertEquals(uris("http://10.0.0.1:8081", "http://10.0.0.2:8081", "http://10.0.0.4:8081"), ring.endpoints());
        URI gone = URI.create("http://10.0.0.3:8081");
        int moved = 0;
        for (int i = 0; i < modules.size(); i++) {
            URI now = ring.order(modules.get(i)).get(0);
            if (!before.get(i).equals(gone)) {
                assertEquals(before.get(i), now, "a module of a member that stayed moved: " + modules.get(i));
            } else {
                moved++;
            }
        }
        assertTrue(moved > 150 && moved < 350, "about a quarter moves: " + moved);

        // A member comes back: the modules it had come back to it, the rest stay.
        dns.put("f", List.of(ip("10.0.0.4"), ip("10.0.0.3"), ip("10.0.0.2"), ip("10.0.0.1")));
        ring.refresh();
        for (int i = 0; i < modules.size(); i++) {
            assertEquals(before.get(i), ring.order(modules.get(i)).get(0));
        }
    }

    @Test
    void aFailedOrEmptyResolutionKeepsTheLastGoodSet() {
        dns.put("f", List.of(ip("10.0.0.1"), ip("10.0.0.2")));
        FetcherRing ring = new FetcherRing(uris("http://static:1", "dns+http://f:8081"), resolver);
        List<URI> good = ring.endpoints();
        dns.remove("f");
        ring.refresh();
        ring.refresh();
        assertEquals(good, ring.endpoints());
        dns.put("f", List.of());
        ring.refresh();
        assertEquals(good, ring.endpoints());
        dns.put("f", List.of(ip("10.0.0.9")));
        ring.refresh();
        assertEquals(uris("http://static:1", "http://10.0.0.9:8081"), ring.endpoints());
    }

    @Test
    void aNameThatNeverResolvedGivesNoMemberUntilItDoes() {
        FetcherRing ring = new FetcherRing(uris("dns+http://later:8081"), resolver);
        assertEquals(List.of(), ring.endpoints());
        dns.put("later", List.of(ip("127.0.0.5")));
        ring.refresh();
        assertEquals(uris("http://127.0.0.5:8081"), ring.endpoints());
    }

    @Test
    void staticEntriesAreNeverResolved() {
        FetcherRing ring = new FetcherRing(uris("http://fetcher-0:8081", "https://fetcher-1:8443"), resolver);
        ring.refresh();
        assertEquals(0, lookups.get());
        assertEquals(uris("http://fetcher-0:8081", "https://fetcher-1:8443"), ring.endpoints());
    }

    @Test
    void malformedEntriesAreRefusedNamingTheEntry() {
        for (String bad : List.of("dns+http://f", "dns+http://f:8081/path", "dns+ftp://f:21", "ftp://f:21", "fetcher-0:8081",
                "dns+http://user@f:8081")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FetcherEndpoints(uris(bad), resolver), bad);
            assertTrue(e.getMessage().contains("modproxy.fetcher.endpoints"), e.getMessage());
        }
    }
}
