package dev.modproxy.gateway.client;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gomod.module.ModulePath;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
 *
 * <p>Members come from {@link FetcherEndpoints}: static URLs and {@code dns+http://name:port}
 * entries, whose names are resolved again every {@code modproxy.fetcher.dns-refresh}. When the
 * resolved set changes the member list is swapped whole (readers see the old or the new list,
 * never a mix); by the property above, only the modules of members that came or went move.
 */
@ApplicationScoped
public class FetcherRing {

    private static final Logger LOG = Logger.getLogger(FetcherRing.class);

    private final FetcherEndpoints source;
    private volatile List<URI> endpoints;
    private ScheduledExecutorService refresher;

    @Inject
    public FetcherRing(GatewayConfig config) {
        this(config.fetcher().endpoints(), FetcherEndpoints::systemResolver);
        if (source.dynamic()) {
            Duration every = config.fetcher().dnsRefresh();
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fetcher-dns-refresh");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A fixed ring (static URLs only). */
    public FetcherRing(List<URI> endpoints) {
        this(endpoints, FetcherEndpoints::systemResolver);
    }

    /** A ring over {@code configured}, resolving DNS entries with {@code resolver}; {@link #refresh} re-resolves. */
    public FetcherRing(List<URI> configured, Function<String, List<InetAddress>> resolver) {
        this.source = new FetcherEndpoints(configured, resolver);
        this.endpoints = source.resolve();
        if (source.dynamic()) {
            LOG.infof("fetcher ring: %s", endpoints);
        }
    }

    /** Resolves the DNS entries again and swaps in the new member list if it differs. */
    public void refresh() {
        try {
            List<URI> now = source.resolve();
            if (!now.equals(endpoints)) {
                LOG.infof("fetcher ring changed: %s -> %s", endpoints, now);
                endpoints = now;
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log, keep the members, go on.
            LOG.warnf(e, "fetcher ring refresh failed; keeping %s", endpoints);
        }
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** All members now (normalized; DNS entries as their current addresses). */
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
