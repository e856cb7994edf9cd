package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import dev.modproxy.gateway.catalog.CatalogAccess;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import dev.modproxy.gateway.catalog.CatalogAccess;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Air-gapped transfer. {@code GET /api/v1/bundles?modules=<path>[@<version>],…} or
 * {@code ?since=<RFC 3339>} (admin: it exports stored modules in bulk) streams a bundle
 * ({@link BundleExporter}); {@code POST /api/v1/bundles} (admin) with a bundle as the body
 * imports it ({@link BundleImporter}) and answers what was stored.
 */
@Path("/api/v1/bundles")
@Blocking
public class BundleResource {

    private final BundleExporter exporter;
    private final BundleImporter importer;
    private final AdminActions actions;

    public BundleResource(BundleExporter exporter, BundleImporter importer, AdminActions actions) {
        this.exporter = exporter;
        this.importer = importer;
        this.actions = actions;
    }

    @GET
    @Produces("application/zip")
    public Response export(@QueryParam("modules") String modules, @QueryParam("since") String since,
                           @Context RoutingContext ctx) throws ProxyException {
        List<BundleExporter.Item> items = exporter.select(modules, since);
        actions.record(CatalogAccess.who(ctx), "bundle-export", modules != null ? "modules=" + modules : "since=" + since,
                items.size() + " versions");
        StreamingOutput body = out -> exporter.write(items, out);
        String name = "modproxy-bundle-" + Instant.now().toString().replace(":", "") + ".zip";
        return Response.ok(body, "application/zip").header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> importBundle(InputStream body, @Context RoutingContext ctx) throws ProxyException {
        Map<String, Object> result = importer.importBundle(body);
        actions.record(CatalogAccess.who(ctx), "bundle-import", String.valueOf(result.get("bundle")), result.get("stored") + " stored, "
                + result.get("alreadyPresent") + " already present");
        return result;
    }
}
