package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.catalog.CatalogAccess;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.storage.BlobKey;
import dev.modproxy.storage.BlobStore;
import dev.modproxy.storage.StorageException;
import dev.modproxy.storage.layout.ModuleLayout;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code DELETE /api/v1/negative-cache/<module>} (admin): forgets every "does not exist" the
 * fetchers remember of the module (list, @latest, queries, versions), so the next request asks
 * the upstreams again, e.g. right after a tag was pushed. The markers are in storage (see the
 * fetcher's NegativeCache), so no fetcher needs to be reached. The module path is written plainly.
 */
@Path("/api/v1/negative-cache")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class NegativeCacheResource {

    private final BlobStore store;
    private final AdminActions actions;

    public NegativeCacheResource(BlobStore store, AdminActions actions) {
        this.store = store;
        this.actions = actions;
    }

    @DELETE
    @Path("{module: .+}")
    public Map<String, Object> clear(@PathParam("module") String module, @Context RoutingContext ctx) throws ProxyException {
        ModulePath path;
        try {
            path = ModulePath.of(module);
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, e.getMessage());
        }
        int cleared = 0;
        try {
            for (BlobKey k : store.list(ModuleLayout.negativePrefix(path))) {
                store.delete(k);
                cleared++;
            }
        } catch (StorageException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
        actions.record(CatalogAccess.who(ctx), "negative-cache-clear", path.value(), cleared + " markers");
        return Map.of("module", path.value(), "cleared", cleared);
    }
}
