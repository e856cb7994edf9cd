package dev.modproxy.sumdb.client;

import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.internal.ServiceCredential;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;
import dev.modproxy.sumdb.config.SumdbConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * Asks a fetcher to bring a module version into storage ({@code GET /internal/v1/fetch/<module>/@v/<version>.zip},
 * 204 when stored), for lookups of versions the own database has no record of yet. Fetchers
 * are tried in order until one answers; "not found" from one is the answer.
 */
@ApplicationScoped
public class FetcherClient {

    private final List<String> endpoints;
    private final SumdbHttp http;

    public FetcherClient(SumdbConfig config, ServiceCredential credential) {
        this.http = new SumdbHttp(Duration.ofSeconds(300), credential);
        // The gateways' setting is shared: a dns+http://name:port entry (a headless Service)
        // is used here as http://name:port, any one of its addresses will do for a lookup.
        this.endpoints = config.fetcher().endpoints().orElse(List.of()).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.replaceAll("/+$", ""))
                .map(s -> s.regionMatches(true, 0, "dns+", 0, 4) ? s.substring(4) : s).toList();
    }

    public void ensureStored(ModuleVersion mv) throws SumdbException {
        SumdbException last = new SumdbException(Kind.NOT_FOUND, "not found: " + mv + " is not stored"
                + " and no fetcher is configured (modproxy.fetcher.endpoints)");
        for (String ep : endpoints) {
            try {
                http.get(ep + "/internal/v1/fetch/" + mv.path().escaped() + "/@v/" + mv.escapedVersion() + ".zip", 1 << 16);
                return;
            } catch (SumdbException e) {
                if (e.kind() == Kind.NOT_FOUND) {
                    throw new SumdbException(Kind.NOT_FOUND, "not found: " + mv + ": " + e.getMessage());
                }
                last = e;
            }
        }
        throw last;
    }
}
