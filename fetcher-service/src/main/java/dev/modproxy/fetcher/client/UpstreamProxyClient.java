package dev.modproxy.fetcher.client;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.fetcher.service.FetchMetrics;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Talks to one upstream GOPROXY at a time ({@code https://}, {@code http://} or {@code file://}),
 * with fault tolerance per upstream host:
 * <ul>
 *   <li>retries with exponential backoff for 429, 5xx and broken connections: every proxy
 *       request is an idempotent GET;</li>
 *   <li>a circuit breaker per host, so a dead upstream costs one fast failure instead of a
 *       timeout per request; "not found" answers are normal and never count as failures;</li>
 *   <li>timeouts per kind of request: metadata answers are small, zips may be large.</li>
 * </ul>
 * The guards are SmallRye Fault Tolerance's programmatic {@link Guard}s because the breaker
 * must be per host, which annotations (one breaker per method) cannot express.
 */
@ApplicationScoped
public class UpstreamProxyClient {

    private final FetcherConfig.Fetch settings;
    private final UpstreamHttp http;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    private final FetchMetrics metrics;

    public UpstreamProxyClient(FetcherConfig config, FetchMetrics metrics) throws IOException {
        this.metrics = metrics;
        this.settings = config.fetch();
        this.http = new UpstreamHttp(TrustBundle.sslContext(config.tls().trust().orElse(List.of())),
                settings.connectTimeout());
    }

    /** A small answer (list, @latest, .info, .mod), at most {@code limit} bytes. */
    public byte[] getBytes(String baseUrl, String path, long limit) throws FetchException {
        return guarded(baseUrl, path, () -> http.getBytes(baseUrl, path, settings.metadataTimeout(), limit));
    }

    /** A large answer (.zip), streamed into {@code target}; at most {@code limit} bytes. */
    public long download(String baseUrl, String path, Path target, long limit) throws FetchException {
        return guarded(baseUrl, path, () -> http.download(baseUrl, path, target, settings.zipTimeout(), limit));
    }

    private <T> T guarded(String baseUrl, String path, UpstreamHttp.Call<T> call) throws FetchException {
        String host = hostKey(baseUrl);
        long start = System.nanoTime();
        try {
            T value = guardedCall(baseUrl, path, host, call);
            metrics.upstream(host, null, start);
            return value;
        } catch (FetchException e) {
            metrics.upstream(host, e, start);
            throw e;
        }
    }

    @SuppressWarnings("unchecked") // Guard.call needs a Class; the value is the call's own T
    private <T> T guardedCall(String baseUrl, String path, String host, UpstreamHttp.Call<T> call) throws FetchException {
        Guard guard = guards.computeIfAbsent(host, this::newGuard);
        try {
            return (T) guard.call(call::call, Object.class);
        } catch (FetchException e) {
            throw e;
        } catch (CircuitBreakerOpenException e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + baseUrl
                    + " is failing; not asked again for " + settings.breakerDelay().toSeconds()
                    + "s (circuit open)", baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Kind.UNAVAILABLE, "interrupted while fetching " + path, baseUrl, e);
        } catch (Exception e) {
            throw new FetchException(Kind.UPSTREAM_FAILED, "upstream " + baseUrl + ": " + e, baseUrl, e);
        }
    }

    private Guard newGuard(String host) {
        long maxDuration = settings.zipTimeout().toMillis() * (settings.retries() + 1L);
        return Guard.create()
                .withDescription("upstream " + host)
                .withRetry()
                    .maxRetries(settings.retries())
                    .delay(settings.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(settings.retryDelay().toMillis() / 2, ChronoUnit.MILLIS)
                    .maxDuration(maxDuration, ChronoUnit.MILLIS)
                    .withExponentialBackoff().factor(2).maxDelay(Math.min(10_000, maxDuration / 2), ChronoUnit.MILLIS).done()
                    .whenException(UpstreamProxyClient::isTransient)
                    .done()
                .withCircuitBreaker()
                    .name("upstream-" + host)
                    .requestVolumeThreshold(settings.breakerVolume())
                    .failureRatio(0.5)
                    .delay(settings.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .when(UpstreamProxyClient::countsAsFailure)
                    .done()
                .build();
    }

    /** Worth another try: 429/5xx answers, timeouts and broken connections. */
    static boolean isTransient(Throwable t) {
        if (t instanceof FetchException f) {
            return f.getCause() instanceof UpstreamHttp.RetryableStatus
                    || f.kind() == Kind.UPSTREAM_TIMEOUT
                    || (f.kind() == Kind.UPSTREAM_FAILED && f.getCause() instanceof IOException
                        && !(f.getCause() instanceof InterruptedIOException));
        }
        return false;
    }

    /** Not found is an answer, not a fault: it must never open the circuit. */
    static boolean countsAsFailure(Throwable t) {
        return !(t instanceof FetchException f) || !(f.kind().isNotFound() || f.kind() == Kind.BAD_REQUEST);
    }

    private static String hostKey(String baseUrl) {
        URI uri = URI.create(baseUrl);
        return uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
    }
}
