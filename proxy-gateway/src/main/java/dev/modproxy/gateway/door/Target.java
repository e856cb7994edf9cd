package dev.modproxy.gateway.door;

import dev.modproxy.gateway.service.ParsedRequests;
import dev.modproxy.gomod.module.ModuleVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * What a request is, decided once by the {@link FrontDoor} from the request target as it came
 * off the wire, and the only view of the request every later step reads: limits,
 * authentication, rate limit, access and policy, audit, metrics and routing. No step looks at
 * the raw path again, so no two steps can see two different requests.
 *
 * @param kind     which part of the gateway answers it
 * @param path     the path, percent-decoded (the door has refused every spelling where that is
 *                 ambiguous, so the router's normalized path is the same request)
 * @param goproxy  the parsed GOPROXY request, for {@link Kind#GOPROXY}; else null
 * @param admin    the admin API endpoint, for {@link Kind#ADMIN}; else null
 * @param sumdb    the checksum database request, for {@link Kind#SUMDB}; else null
 */
public record Target(Kind kind, String path, ParsedRequests.Parsed goproxy, AdminEndpoint admin, Sumdb sumdb) {

    /** The routing-context key the door leaves the target under. */
    public static final String KEY = "modproxy.target";

    /** The kinds of request the gateway serves; anything else is refused at the door. */
    public enum Kind {
        /** {@code <module>/@v/list}, {@code /@latest}, {@code /@v/<version>.info|.mod|.zip}. */
        GOPROXY("goproxy"),
        /** {@code /sumdb/<name>/supported|latest|lookup/…|tile/…}: forwarded to sumdb-service. */
        SUMDB("sumdb"),
        /** {@code /api/v1/…}: the endpoints of {@link AdminEndpoint}. */
        ADMIN("api"),
        /** {@code /catalog} and {@code /index}: read like the GOPROXY protocol. */
        CATALOG("ui"),
        /** {@code /ui}, {@code /ui/} and its files: the console's static pages; {@code /doctor}, a script. */
        CONSOLE("ui"),
        /** {@code /q/health…}: probes. Neither authenticated, limited nor audited. */
        HEALTH("q"),
        /** {@code /q/metrics}: Prometheus. Neither authenticated, limited nor audited. */
        METRICS("q");

        private final String metric;

        Kind(String metric) {
            this.metric = metric;
        }

        /** The {@code kind} tag of the gateway's request metrics. */
        public String metric() {
            return metric;
        }

        /** Probes and scrapes: they pass no chain step and are not audited (they are not traffic). */
        public boolean probe() {
            return this == HEALTH || this == METRICS;
        }
    }

    /**
     * A checksum database request: the database's name, and for a lookup the module version
     * looked up (access rules apply to it as to the module's GOPROXY paths).
     */
    public record Sumdb(String name, ModuleVersion lookup) {
    }

    /** The target the door left on {@code ctx}, or null when the door refused the request. */
    public static Target of(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    /** The module the request is about, if any: a GOPROXY request's, or a sumdb lookup's. */
    public String module() {
        if (goproxy != null) {
            return goproxy.request().module().value();
        }
        if (sumdb != null && sumdb.lookup() != null) {
            return sumdb.lookup().path().value();
        }
        return null;
    }
}
