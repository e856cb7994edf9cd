package dev.modproxy.fetcher.client;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.internal.ServiceCredential;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.time.temporal.ChronoUnit;

/**
 * sumdb-service as the fetcher sees it ({@code modproxy.sumdb.endpoint}): verify a version's
 * hashes against the upstream checksum database, and record them in modproxy's own. Both calls
 * are idempotent, so faults of the service itself are retried; a breaker keeps a dead service
 * from costing every fetch a timeout. Whatever fails, the caller stores nothing: "verified
 * before served" has no fallback.
 */
@ApplicationScoped
public class SumdbClient {

    private final SumdbHttp http;

    public SumdbClient(FetcherConfig config, ServiceCredential credential) {
        this.http = new SumdbHttp(config.sumdb().endpoint(), credential);
    }

    @Timeout(value = 150, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = SumdbHttp.Unreachable.class, abortOn = FetchException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000,
            failOn = SumdbHttp.Unreachable.class, skipOn = FetchException.class)
    public String verify(ModuleVersion mv, String zipHash, String modHash) throws FetchException {
        return http.post("verify", mv, zipHash, modHash);
    }

    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, retryOn = SumdbHttp.Unreachable.class, abortOn = FetchException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000,
            failOn = SumdbHttp.Unreachable.class, skipOn = FetchException.class)
    public String record(ModuleVersion mv, String zipHash, String modHash) throws FetchException {
        return http.post("record", mv, zipHash, modHash);
    }

    /** The one message for "the service is down" in whatever form fault tolerance reports it. */
    public FetchException unavailable(ModuleVersion mv, RuntimeException e) {
        return new FetchException(Kind.UNAVAILABLE, mv + ": checksum database service " + http.endpoint()
                + " unavailable, nothing stored: " + e.getMessage(), null, e);
    }
}
