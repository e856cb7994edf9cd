package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import dev.modproxy.gateway.catalog.CatalogAccess;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.Collection;

/**
 * Takedown. {@code POST /api/v1/quarantine/<module>@<version>} (admin) with the reason as the
 * text/plain body or {@code ?reason=}: the version answers 410 "quarantined: &lt;reason&gt;" on
 * {@code .info}/{@code .mod}/{@code .zip} and leaves {@code list}/{@code @latest}; its files stay
 * in storage. {@code DELETE} (admin) lifts it. {@code GET /api/v1/quarantine} (read-only) lists
 * what is quarantined. Module paths are written plainly (not {@code !}-escaped).
 */
@Path("/api/v1/quarantine")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class QuarantineResource {

    private final QuarantineService quarantine;
    private final AdminActions actions;

    public QuarantineResource(QuarantineService quarantine, AdminActions actions) {
        this.quarantine = quarantine;
        this.actions = actions;
    }

    @GET
    public Collection<QuarantineService.Entry> list() throws ProxyException {
        return quarantine.all();
    }

    @POST
    @Path("{spec: .+}")
    public QuarantineService.Entry add(@PathParam("spec") String spec, @QueryParam("reason") String reasonParam,
                                       @Context RoutingContext ctx, String body) throws ProxyException {
        ModuleVersion mv = parse(spec);
        String reason = reasonParam != null ? reasonParam : body;
        QuarantineService.Entry e = quarantine.quarantine(mv, reason, CatalogAccess.who(ctx));
        actions.record(e.by(), "quarantine", mv.toString(), e.reason());
        return e;
    }

    @DELETE
    @Path("{spec: .+}")
    public QuarantineService.Entry remove(@PathParam("spec") String spec, @Context RoutingContext ctx)
            throws ProxyException {
        ModuleVersion mv = parse(spec);
        QuarantineService.Entry e = quarantine.release(mv);
        actions.record(CatalogAccess.who(ctx), "release", mv.toString(), "was: " + e.reason());
        return e;
    }

    static ModuleVersion parse(String spec) throws ProxyException {
        int at = spec.lastIndexOf('@');
        if (at <= 0) {
            throw new ProxyException(Kind.BAD_REQUEST, "expected <module>@<version>, got \"" + spec + "\"");
        }
        try {
            ModuleVersion mv = ModuleVersion.of(spec.substring(0, at), spec.substring(at + 1));
            if (!mv.isCanonical()) {
                throw new ProxyException(Kind.BAD_REQUEST, spec.substring(at + 1) + ": not a canonical version");
            }
            return mv;
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, e.getMessage());
        }
    }
}
