package dev.modproxy.gateway.qos;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.proxy.ProxyRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-module limit on cold fetches: every call the gateway makes to a fetcher (a miss)
 * takes a token from its module's bucket ({@code modproxy.qos.per-module-cold-rps},
 * {@code per-module-cold-burst}). Hits never get here, so cached traffic keeps flowing while
 * one module is being hammered.
 *
 * <p>A miss identical to one already in flight on this replica is not charged: the fetcher
 * collapses it into the same upstream fetch, so fifty CI jobs starting together on one new
 * version cost one token, not fifty.
 */
@ApplicationScoped
public class ColdFetchLimit {

    /** Released when the fetch ends; closing twice is harmless. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Buckets buckets;
    private final String rate;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public ColdFetchLimit(QosConfig config) {
        this.buckets = new Buckets(config.perModuleColdRps(), config.perModuleColdBurst(), config.maxBuckets(),
                config.sweepInterval().toNanos(), System::nanoTime);
        this.rate = format(config.perModuleColdRps());
    }

    /** Admits a fetcher call for {@code request}, or throws 429 with {@code Retry-After}. */
    public Permit admit(ProxyRequest request) throws ProxyException {
        if (!buckets.enabled()) {
            return () -> { };
        }
        String key = request.toString();
        AtomicInteger count = inFlight.compute(key, (k, c) -> {
            AtomicInteger n = c == null ? new AtomicInteger() : c;
            n.incrementAndGet();
            return n;
        });
        Permit permit = new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    inFlight.computeIfPresent(key, (k, c) -> c.decrementAndGet() == 0 ? null : c);
                }
            }
        };
        if (count.get() > 1) {
            return permit;
        }
        String module = request.module().value();
        long wait = buckets.take(module);
        if (wait == 0) {
            return permit;
        }
        permit.close();
        long seconds = Buckets.retryAfterSeconds(wait);
        throw new ProxyException(Kind.TOO_MANY_REQUESTS, "rate limit: more than " + rate
                + " uncached fetches per second of " + module + "; retry in " + seconds + "s",
                Map.of("Retry-After", Long.toString(seconds)), null);
    }

    static String format(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
