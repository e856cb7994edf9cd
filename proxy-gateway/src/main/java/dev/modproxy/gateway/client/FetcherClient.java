package dev.modproxy.gateway.client;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.internal.ServiceCredential;
import io.smallrye.faulttolerance.api.RetryWhen;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Asks a fetcher-service replica to resolve or fetch what storage does not have.
 *
 * <p>The contract of the internal API ({@code GET <endpoint>/internal/v1/fetch/<request>}):
 * 200 with the answer (list, latest, info, mod), or 204 for a zip, which is then in storage;
 * on failure one of 400/404/410/429/502/503/504 with a one-line text reason, relayed to the
 * client unchanged together with {@code X-Modproxy-Upstream}. Any other status is the
 * fetcher's own fault: 502.
 *
 * <p>Endpoints are tried in {@link FetcherRing} order, moving on only when a connection cannot
 * be made: a fetcher that answered, even with an error, has done the work, and asking another
 * would only repeat it. When none can be reached the call is retried a few times (a rolling
 * restart takes every fetcher away briefly); answers, even 5xx, are never retried.
 * The {@code @Timeout} is bound to {@code modproxy.fetcher.timeout-seconds} in
 * application.properties; when it fires the caller sees the fault-tolerance
 * {@code TimeoutException}.
 *
 * <p>A {@code .info} of a version is asked with its {@code .mod} carried along (see
 * {@link FetcherHttp#WITH_MOD}); the answer then holds both.
 */
@ApplicationScoped
public class FetcherClient {

    private static final Logger LOG = Logger.getLogger(FetcherClient.class);
    static final String UPSTREAM_HEADER = "X-Modproxy-Upstream";

    private final FetcherRing ring;
    private final FetcherHttp http;
    private final long timeoutSeconds;

    @Inject
    public FetcherClient(FetcherRing ring, GatewayConfig config, ServiceCredential credential) {
        this.ring = ring;
        this.timeoutSeconds = config.fetcher().timeoutSeconds();
        // The read timeout is the fetch timeout itself: FetcherHttp reads on the calling thread,
        // and a blocking read does not notice the interrupt of the fault-tolerance @Timeout.
        this.http = new FetcherHttp(config.fetcher().connectTimeout(), Duration.ofSeconds(timeoutSeconds), credential);
    }

    /** The fetcher's successful answer for {@code request}; every failure is a ProxyException. */
    @Timeout(value = 300, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100)
    @RetryWhen(exception = WhenUnreachable.class)
    public FetcherAnswer fetch(ProxyRequest request) throws ProxyException {
        String path = request.toString();
        List<String> failures = new ArrayList<>();
        ConnectException last = null;
        for (URI endpoint : ring.order(request.module())) {
            FetcherHttp.Response response;
            try {
                response = http.get(endpoint, path, request.type() == ProxyRequest.Type.INFO && !request.isQuery());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                failures.add(endpoint + ": " + describe(e));
                last = e instanceof ConnectException ce ? ce : new ConnectException(describe(e));
                LOG.debugf("fetcher %s unreachable for %s: %s", endpoint, path, describe(e));
                continue;
            } catch (HttpTimeoutException e) {
                throw new ProxyException(Kind.GATEWAY_TIMEOUT,
                        "fetcher " + endpoint + " timed out after " + timeoutSeconds + "s on " + path);
            } catch (IOException e) {
                throw new ProxyException(Kind.BAD_GATEWAY, "fetcher " + endpoint + " failed on " + path + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProxyException(Kind.GATEWAY_TIMEOUT, "fetch of " + path + " interrupted");
            }
            return answer(endpoint, response);
        }
        if (failures.isEmpty()) {
            throw new ProxyException(Kind.UNAVAILABLE, "no fetcher reachable: none configured (modproxy.fetcher.endpoints)");
        }
        throw new ProxyException(Kind.UNAVAILABLE, "no fetcher reachable: " + String.join("; ", failures), last);
    }

    private static FetcherAnswer answer(URI endpoint, FetcherHttp.Response response) throws ProxyException {
        int status = response.status();
        if (status == 200 || status == 204) {
            return new FetcherAnswer(status, response.body(), endpoint.toString(), response.mod());
        }
        String reason = ProxyException.oneLine(new String(response.body(), StandardCharsets.UTF_8));
        Map<String, String> headers = new java.util.HashMap<>();
        response.upstream().ifPresent(u -> headers.put(UPSTREAM_HEADER, u));
        // A busy fetcher (bulkhead full: 503, or 429) says when to come back; go and CI retry on it.
        response.retryAfter().ifPresent(r -> headers.put("Retry-After", r));
        Kind kind = Kind.relayable(status).orElse(null);
        if (kind == null) {
            throw new ProxyException(Kind.BAD_GATEWAY, "fetcher " + endpoint + " answered " + status + ": " + reason,
                    headers, null);
        }
        throw new ProxyException(kind, reason, headers, null);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return e instanceof ConnectException ? "connection refused" : "connection failed";
    }

    /** Retry only when no fetcher could be connected to; an answer is final. */
    public static final class WhenUnreachable implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable t) {
            return t instanceof ProxyException p && p.kind() == Kind.UNAVAILABLE
                    && p.getCause() instanceof ConnectException;
        }
    }
}
