package dev.modproxy.fetcher.service;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.client.UpstreamProxyClient;
import dev.modproxy.fetcher.config.FetcherConfig;
import dev.modproxy.fetcher.vcs.DirectSource;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.env.ModulePrivacy;
import dev.modproxy.gomod.env.ProxyEntry;
import dev.modproxy.gomod.env.ProxyList;
import dev.modproxy.gomod.module.ModulePath;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * Runs one lookup along the upstream list ({@code modproxy.upstream}, GOPROXY syntax) with the
 * {@code go} command's rules (cmd/go/internal/modfetch TryProxies):
 * <ul>
 *   <li>An entry followed by {@code ,} hands over to the next only when it answered "not found"
 *       (404/410); any other error ends the walk. After {@code |} any error hands over.</li>
 *   <li>{@code off} fails: lookups are disabled. {@code direct} fetches from version control
 *       ({@link DirectSource}).</li>
 *   <li>Modules matching {@code modproxy.noproxy} (default {@code modproxy.private}) skip every
 *       proxy entry and go direct: their names never leave the company.</li>
 *   <li>When every entry fails, the error reported is the most telling one: a direct error
 *       over a proxy error over "not found"; among "not found"s the last.</li>
 *   <li>A "not found" that an upstream or direct gave as the chain's answer is remembered
 *       ({@link NegativeCache}) and answered again without asking; any success for the module
 *       forgets what was remembered of it.</li>
 * </ul>
 */
@ApplicationScoped
public class UpstreamChain {

    /** One attempt against one source: an upstream proxy or version control. */
    @FunctionalInterface
    public interface Attempt<T> {
        T apply(ModuleSource source) throws FetchException;
    }

    /** A value and the upstream that gave it (for provenance and audit). */
    public record Sourced<T>(T value, String upstream) {
    }

    private final List<ProxyEntry> entries;
    private final ModulePrivacy privacy;
    private final UpstreamProxyClient upstream;
    private final DirectSource direct;
    private final FetchBulkhead bulkhead;
    private final NegativeCache negative;

    public UpstreamChain(FetcherConfig config, UpstreamProxyClient upstream, DirectSource direct,
            FetchBulkhead bulkhead, NegativeCache negative) throws GoModException {
        this.bulkhead = bulkhead;
        this.negative = negative;
        this.upstream = upstream;
        this.direct = direct;
        this.entries = ProxyList.parse(config.upstream()).entries();
        this.privacy = ModulePrivacy.fromEnvironment(config.privatePatterns().orElse(null),
                config.noproxy().orElse(null), config.nosumdb().orElse(null), config.insecure().orElse(null));
    }

    public ModulePrivacy privacy() {
        return privacy;
    }

    /**
     * Runs {@code attempt} against the upstream list, within the fetch bulkhead: every upstream
     * or VCS fetch of this fetcher passes here, so this is where their number is bounded.
     */
    public <T> Sourced<T> run(ModulePath module, String what, Attempt<T> attempt) throws FetchException {
        NegativeCache.Lookup lookup = negative.lookup(module, what);
        Optional<FetchException> remembered = negative.check(module, lookup);
        if (remembered.isPresent()) {
            throw remembered.get(); // outside the bulkhead: a remembered answer takes no fetch slot
        }
        Sourced<T> got;
        try {
            got = bulkhead.call(module.value() + " " + what, () -> runUnguarded(module, what, attempt));
        } catch (FetchException e) {
            // Only an answer some upstream gave: "off" and "no upstream" carry none; and not a
            // refusal of credentials, which an operator may fix at any moment.
            if (e.kind().isNotFound() && e.upstream() != null && !e.isCredentialsRefusal()) {
                negative.remember(module, lookup, e);
            }
            throw e;
        }
        negative.clear(module);
        return got;
    }

    private <T> Sourced<T> runUnguarded(ModulePath module, String what, Attempt<T> attempt) throws FetchException {
        if (privacy.bypassesProxy(module.value())) {
            return new Sourced<>(attempt.apply(direct), direct.name());
        }
        FetchException best = null;
        int bestRank = 0; // 0: not found, 1: proxy error, 2: direct error
        for (ProxyEntry entry : entries) {
            FetchException err;
            switch (entry.kind()) {
                case OFF -> err = new FetchException(Kind.NOT_FOUND, module.value() + ": " + what
                        + ": module lookup disabled by modproxy.upstream=off");
                case DIRECT -> {
                    try {
                        return new Sourced<>(attempt.apply(direct), direct.name());
                    } catch (FetchException e) {
                        err = e;
                    }
                }
                default -> {
                    try {
                        return new Sourced<>(attempt.apply(new ProxySource(entry.url(), upstream)), entry.url());
                    } catch (FetchException e) {
                        err = e;
                    }
                }
            }
            boolean notFound = err.kind().isNotFound() && entry.kind() != ProxyEntry.Kind.OFF;
            if (entry.kind() == ProxyEntry.Kind.DIRECT) {
                best = err;
                bestRank = 2;
            } else if (bestRank <= 1 && !notFound) {
                best = err;
                bestRank = 1;
            } else if (bestRank == 0) {
                best = err;
            }
            if (entry.kind() == ProxyEntry.Kind.OFF || (!entry.fallBackOnAnyError() && !notFound)) {
                break;
            }
        }
        throw best != null ? best : new FetchException(Kind.NOT_FOUND, module.value() + ": " + what
                + ": no upstream configured");
    }
}
