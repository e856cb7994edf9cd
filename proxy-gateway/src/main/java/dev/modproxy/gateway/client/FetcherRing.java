package dev.modproxy.gateway.client;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gomod.module.ModulePath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which fetcher replica to ask for a module: rendezvous (highest-random-weight) hashing.
 *
 * <p>Every endpoint gets a weight {@code hash(endpoint, module)}; the endpoints are tried in
 * descending weight. Because the weight depends only on the two strings, every gateway replica
 * that lists the same endpoints picks the same fetcher for a module, so concurrent requests for
 * it meet in one fetcher, which collapses them. When an endpoint leaves, only its modules move
 * (each to its own second choice); the rest stay where they were.
 *
 * <p>The hash is FNV-1a over the UTF-8 bytes of endpoint, a separator and the escaped module
 * path, finished with the splitmix64 mixer for an even spread; it is fixed here, not left to
 * {@code String.hashCode} or a JVM's choice, since all replicas must agree on it. Endpoints are
 * compared in the normalized form (no trailing '/'); duplicates count once.
 */
@ApplicationScoped
public class FetcherRing {

    private final List<URI> endpoints;

    @Inject
    public FetcherRing(GatewayConfig config) {
        this(config.fetcher().endpoints());
    }

    public FetcherRing(List<URI> endpoints) {
        Set<URI> normalized = new LinkedHashSet<>();
        for (URI endpoint : endpoints) {
            String s = endpoint.toString().strip();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!s.isEmpty()) {
                normalized.add(URI.create(s));
            }
        }
        this.endpoints = List.copyOf(normalized);
    }

    /** All endpoints, as configured (normalized). */
    public List<URI> endpoints() {
        return endpoints;
    }

    /** The endpoints in the order to try them for {@code module}: first choice first. */
    public List<URI> order(ModulePath module) {
        String key = module.escaped();
        List<URI> order = new ArrayList<>(endpoints);
        order.sort(Comparator.comparingLong((URI e) -> weight(e.toString(), key)).reversed()
                .thenComparing(URI::toString));
        return order;
    }

    static long weight(String endpoint, String module) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, endpoint.getBytes(StandardCharsets.UTF_8));
        h = fnv(h, new byte[] {0});
        h = fnv(h, module.getBytes(StandardCharsets.UTF_8));
        return mix(h);
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
