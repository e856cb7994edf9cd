package dev.modproxy.gateway.catalog;

import dev.modproxy.gateway.admin.AdminActions;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.storage.catalog.Catalog;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The catalog of stored modules.
 * <ul>
 *   <li>{@code GET /catalog?q=&after=&limit=} (read-only, public like the GOPROXY protocol):
 *       {@code {"versions":[{"Path","Version"}...],"next":"<path@version>"|null}}, complete
 *       stored versions in path then semver order; {@code q} keeps paths containing it;
 *       {@code after} is the previous page's {@code next}; {@code limit} 1..1000, default 100.</li>
 *   <li>{@code GET /index?since=&limit=} (read-only): index.golang.org's feed. One JSON object
 *       per line, {@code {"Path","Version","Timestamp"}}, in the order the versions were first
 *       stored, from {@code since} (RFC 3339, inclusive; default the beginning) on, at most
 *       {@code limit} (1..2000, default 2000) lines. A follower passes the last Timestamp back as
 *       {@code since} (and skips the lines it has already seen).</li>
 *   <li>{@code GET /api/v1/modules/<module>} (read-only): the module page, JSON.</li>
 *   <li>{@code POST /api/v1/catalog/rebuild} (admin): records stored versions the catalog misses.</li>
 * </ul>
 * Quarantined versions, and modules the policy's access rules hide from the caller, are left
 * out of the catalog and the feed.
 */
@Path("/")
@Blocking
public class CatalogResource {

    static final int INDEX_MAX = 2000;

    private final CatalogService catalog;
    private final CatalogAccess access;
    private final AdminActions actions;

    public CatalogResource(CatalogService catalog, CatalogAccess access, AdminActions actions) {
        this.catalog = catalog;
        this.access = access;
        this.actions = actions;
    }

    @GET
    @Path("catalog")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> catalog(@QueryParam("q") String q, @QueryParam("after") String after,
                                       @QueryParam("limit") String limit, @Context RoutingContext ctx)
            throws ProxyException {
        return catalog.page(q, after, number("limit", limit, 100, 1000), access.readable(ctx));
    }

    @GET
    @Path("index")
    @Produces("application/x-ndjson")
    public Response index(@QueryParam("since") String since, @QueryParam("limit") String limit,
                          @Context RoutingContext ctx) throws ProxyException {
        Instant from = Instant.EPOCH;
        if (since != null && !since.isEmpty()) {
            try {
                from = OffsetDateTime.parse(since).toInstant();
            } catch (DateTimeParseException e) {
                throw new ProxyException(Kind.BAD_REQUEST, "since: not an RFC 3339 time (e.g. 2019-04-10T19:08:52.997264Z)");
            }
        }
        StringBuilder out = new StringBuilder();
        for (Catalog.Entry e : catalog.index(from, number("limit", limit, INDEX_MAX, INDEX_MAX), access.readable(ctx))) {
            out.append("{\"Path\":");
            Json.quote(out, e.path()).append(",\"Version\":");
            Json.quote(out, e.version()).append(",\"Timestamp\":\"").append(e.timestampText()).append("\"}\n");
        }
        return Response.ok(out.toString()).header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("api/v1/modules/{module: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> module(@PathParam("module") String module) throws ProxyException {
        return catalog.module(module);
    }

    @POST
    @Path("api/v1/catalog/rebuild")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> rebuild(@Context RoutingContext ctx) throws ProxyException {
        int added = catalog.rebuild();
        actions.record(CatalogAccess.who(ctx), "catalog-rebuild", "catalog", added + " versions added");
        return Map.of("added", added);
    }

    static int number(String name, String value, int dflt, int max) throws ProxyException {
        if (value == null || value.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProxyException(Kind.BAD_REQUEST, name + ": expected a number from 1 to " + max);
    }
}
