package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import dev.modproxy.gateway.catalog.CatalogAccess;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;

/**
 * {@code POST /api/v1/prefetch} (admin): the body is a go.mod, a go.sum or {@code module@version}
 * lines ({@link PrefetchInput}); answers 202 with the job's status and its {@code Location}.
 * {@code GET /api/v1/prefetch/<id>} (read-only): {@code {"id","state":"queued|running|done",
 * "total","done","stored","failed","failures":[{"module","version","reason"}],…}}.
 */
@Path("/api/v1/prefetch")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PrefetchResource {

    private final PrefetchService prefetch;
    private final AdminActions actions;

    public PrefetchResource(PrefetchService prefetch, AdminActions actions) {
        this.prefetch = prefetch;
        this.actions = actions;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(byte[] body, @Context RoutingContext ctx) throws ProxyException {
        Map<String, Object> status = prefetch.start(body == null ? new byte[0] : body);
        actions.record(CatalogAccess.who(ctx), "prefetch", String.valueOf(status.get("id")), status.get("requested") + " versions from a "
                + status.get("input"));
        return Response.accepted(status).location(URI.create("/api/v1/prefetch/" + status.get("id"))).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> status(@PathParam("id") String id) throws ProxyException {
        return prefetch.status(id);
    }
}
