package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The fetcher's metrics:
 * <ul>
 *   <li>{@code modproxy_fetcher_fetch_seconds{kind,outcome}}: internal fetch requests by request
 *       kind (list, latest, info, mod, zip) and outcome (ok, not_found, error);</li>
 *   <li>{@code modproxy_fetcher_upstream_seconds{host,outcome}} and
 *       {@code modproxy_fetcher_upstream_errors_total{host}}: each call to an upstream proxy,
 *       retries included, by its scheme://host:port;</li>
 *   <li>{@code modproxy_fetcher_vcs_seconds{host,outcome}} and
 *       {@code modproxy_fetcher_vcs_errors_total{host}}: each direct (VCS) operation, by the host
 *       the module path starts with;</li>
 *   <li>{@code modproxy_storage_errors_total{service="fetcher"}}: failed storage operations.</li>
 * </ul>
 * Hosts are tag values, so their number is capped ({@link #MAX_HOSTS}); later ones count as
 * {@code other}. Upstream hosts are few (the configured GOPROXY list); VCS hosts follow what
 * clients ask for, hence the cap.
 */
@ApplicationScoped
public class FetchMetrics {

    static final int MAX_HOSTS = 100;

    private final MeterRegistry registry;
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final Counter storageErrors;

    public FetchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.storageErrors = Counter.builder("modproxy_storage_errors")
                .description("Storage operations that failed")
                .tag("service", "fetcher").register(registry);
    }

    /** ok, not_found (an answer, not a fault) or error. */
    public static String outcome(FetchException e) {
        return e == null ? "ok" : e.kind().isNotFound() ? "not_found" : "error";
    }

    public void fetch(String kind, FetchException failure, long startNanos) {
        timer("modproxy_fetcher_fetch", "Internal fetch requests by kind and outcome", "kind", kind, failure, startNanos);
    }

    public void upstream(String host, FetchException failure, long startNanos) {
        hostCall("modproxy_fetcher_upstream", "Calls to upstream proxies", host, failure, startNanos);
    }

    public void vcs(String host, FetchException failure, long startNanos) {
        hostCall("modproxy_fetcher_vcs", "Direct VCS operations", host, failure, startNanos);
    }

    public void storageError() {
        storageErrors.increment();
    }

    private void hostCall(String name, String what, String host, FetchException failure, long startNanos) {
        String h = bounded(host);
        timer(name, what + " by host and outcome", "host", h, failure, startNanos);
        if ("error".equals(outcome(failure))) {
            Counter.builder(name + "_errors").description(what + " that failed, by host")
                    .tag("host", h).register(registry).increment();
        }
    }

    private void timer(String name, String description, String tag, String value, FetchException failure, long startNanos) {
        Timer.builder(name).description(description).tags(tag, value, "outcome", outcome(failure))
                .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private String bounded(String host) {
        if (hosts.contains(host)) {
            return host;
        }
        if (hosts.size() < MAX_HOSTS) {
            hosts.add(host);
            return host;
        }
        return "other";
    }
}
