package dev.modproxy.gateway.client;

import dev.modproxy.gomod.module.ModulePath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FetcherRingTest {

    static final List<URI> FIVE = List.of(URI.create("http://fetcher-0:8081"), URI.create("http://fetcher-1:8081"),
            URI.create("http://fetcher-2:8081"), URI.create("http://fetcher-3:8081"), URI.create("http://fetcher-4:8081"));

    static ModulePath path(String p) {
        try {
            return ModulePath.of(p);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theOrderDependsOnlyOnTheSetNotOnHowItIsListed() {
        List<URI> shuffled = new ArrayList<>(FIVE);
        Collections.shuffle(shuffled, new java.util.Random(7));
        List<URI> slashed = FIVE.stream().map(u -> URI.create(u + "/")).toList();
        for (int i = 0; i < 200; i++) {
            ModulePath m = path("example.com/m" + i);
            List<URI> order = new FetcherRing(FIVE).order(m);
            assertEquals(order, new FetcherRing(shuffled).order(m));
            assertEquals(order, new FetcherRing(slashed).order(m));
            assertEquals(5, order.size());
        }
    }

    @Test
    void theWeightIsFixedAcrossJvmsAndReleases() {
        // Every gateway replica must agree; a changed hash would move every module at once.
        assertEquals(List.of(URI.create("http://fetcher-3:8081"), URI.create("http://fetcher-1:8081"),
                        URI.create("http://fetcher-0:8081"), URI.create("http://fetcher-2:8081"),
                        URI.create("http://fetcher-4:8081")),
                new FetcherRing(FIVE).order(path("github.com/Azure/azure-sdk-for-go")));
    }

    @Test
    void modulesSpreadEvenly() {
        Map<URI, Integer> first = new HashMap<>();
        int n = 5000;
        for (int i = 0; i < n; i++) {
            first.merge(new FetcherRing(FIVE).order(path("example.com/spread/m" + i)).get(0), 1, Integer::sum);
        }
        for (URI e : FIVE) {
            int share = first.getOrDefault(e, 0);
            assertTrue(share > n / 5 * 0.85 && share < n / 5 * 1.15, e + " got " + share + " of " + n);
        }
    }

    @Test
    void removingAnEndpointMovesOnlyItsModules() {
        FetcherRing all = new FetcherRing(FIVE);
        FetcherRing four = new FetcherRing(FIVE.subList(0, 4));
        URI gone = FIVE.get(4);
        for (int i = 0; i < 2000; i++) {
            ModulePath m = path("example.com/stable/m" + i);
            List<URI> before = all.order(m);
            List<URI> after = four.order(m);
            List<URI> expected = new ArrayList<>(before);
            expected.remove(gone);
            assertEquals(expected, after, m.value());
        }
    }
}
