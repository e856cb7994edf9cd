package dev.modproxy.gateway.doctor;

import dev.modproxy.gateway.auth.Identity;
import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.client.SumdbServiceClient;
import dev.modproxy.gateway.door.AdminEndpoint;
import dev.modproxy.gateway.door.FrontDoor;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gateway.rest.ProxyFailureHandler;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gomod.proxy.ProxyRequest;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The canary ({@link Canary}) on the wire, after the request chain (so authentication, rate
 * limits and policy apply to it as to any module, and the identity is known) and before the
 * quarantine and GOPROXY routes:
 * <ul>
 *   <li>GOPROXY requests of {@value Canary#PATH}: served from memory; each {@code .info},
 *       {@code .mod}, {@code .zip} of a slot is noted on the slot's live ticket;</li>
 *   <li>checksum-database lookups of a canary version: noted, then passed on to the sumdb
 *       forward (the record is in the own log);</li>
 *   <li>{@code POST /api/v1/canary}: a ticket (nonce and version), the slot's record made in
 *       the own checksum log first if this gateway has not made sure of it yet;</li>
 *   <li>{@code GET /api/v1/canary/<nonce>}: what was seen of the ticket's version.</li>
 * </ul>
 */
@ApplicationScoped
public class CanaryRoute {

    private final Canary canary = new Canary();
    private final CanaryTickets tickets = new CanaryTickets(Clock.systemUTC());
    private final SumdbServiceClient sumdb;
    /** Record ids of the slots this replica has made sure are in the own log (null: not yet). */
    private final AtomicReferenceArray<Long> recorded = new AtomicReferenceArray<>(Canary.SLOTS);

    public CanaryRoute(SumdbServiceClient sumdb) {
        this.sumdb = sumdb;
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 2).handler(this::handle)
                .failureHandler(new ProxyFailureHandler());
    }

    private void handle(RoutingContext ctx) {
        Target t = Target.of(ctx);
        if (t == null) {
            ctx.next();
        } else if (t.kind() == Target.Kind.GOPROXY && Canary.PATH.equals(t.module())) {
            serve(ctx, t.goproxy().request());
        } else if (t.kind() == Target.Kind.SUMDB && Canary.PATH.equals(t.module())) {
            int slot = Canary.slot(t.sumdb().lookup().version());
            if (slot >= 0) {
                note(ctx, slot, "sumdb-lookup " + t.sumdb().name(), 0);
            }
            ctx.next();
        } else if (t.kind() == Target.Kind.ADMIN && t.admin() == AdminEndpoint.CANARY_TICKET) {
            String client = FrontDoor.client(ctx);
            ctx.vertx().executeBlocking(() -> ticket(client), false).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else {
                    Answers.json(ctx, ar.result());
                }
            });
        } else if (t.kind() == Target.Kind.ADMIN && t.admin() == AdminEndpoint.CANARY_SEEN) {
            seen(ctx, t.path().substring(AdminEndpoint.CANARY_SEEN.path().length()));
        } else {
            ctx.next();
        }
    }

    private void serve(RoutingContext ctx, ProxyRequest r) {
        if (r.type() == ProxyRequest.Type.LIST) {
            Answers.send(ctx, 200, "text/plain; charset=utf-8", canary.list());
            return;
        }
        int slot = r.type() == ProxyRequest.Type.LATEST ? 0 : Canary.slot(r.version());
        if (slot < 0) {
            Answers.text(ctx, 404, "not found: " + Canary.PATH + " has only the versions v0.0.0-canary.0 to "
                    + Canary.version(Canary.SLOTS - 1) + "\n");
            return;
        }
        Canary.Files f = canary.files(slot);
        switch (r.type()) {
            case LATEST, INFO -> Answers.send(ctx, 200, "application/json", f.info());
            case MOD -> Answers.send(ctx, 200, "text/plain; charset=utf-8", f.mod());
            default -> Answers.send(ctx, 200, "application/zip", f.zip());
        }
        if (r.type() != ProxyRequest.Type.LATEST) {
            note(ctx, slot, r.type().name().toLowerCase(java.util.Locale.ROOT), 200);
        }
    }

    private void note(RoutingContext ctx, int slot, String what, int status) {
        Identity id = ctx.get(ContextKeys.IDENTITY, Identity.ANONYMOUS);
        tickets.saw(slot, what, id.name(), FrontDoor.client(ctx), ctx.request().getHeader("User-Agent"), status);
    }

    private String ticket(String client) throws ProxyException {
        Optional<CanaryTickets.Ticket> t = tickets.issue(client);
        if (t.isEmpty()) {
            throw new ProxyException(ProxyException.Kind.UNAVAILABLE, "every canary slot this gateway may give "
                    + "you is held by a doctor run (" + CanaryTickets.MAX_PER_CLIENT + " per client address, "
                    + Canary.SLOTS + " in all, " + CanaryTickets.TTL.toMinutes() + " minutes each); try again later",
                    java.util.Map.of("Retry-After", "60"), null);
        }
        int slot = t.get().slot();
        Canary.Files f = canary.files(slot);
        Long id = recorded.get(slot);
        if (id == null) {
            // Idempotent in sumdb-service for the same hashes: every replica and restart may ask again.
            id = sumdb.record(f.mv(), f.zipHash(), f.modHash());
            recorded.set(slot, id);
        }
        return "{\n  \"nonce\": \"" + t.get().nonce() + "\",\n  \"module\": \"" + Canary.PATH + "\",\n  \"version\": \""
                + f.mv().version() + "\",\n  \"expires\": \"" + t.get().issued().plus(CanaryTickets.TTL) + "\",\n"
                + "  \"record\": " + id + "\n}\n";
    }

    private void seen(RoutingContext ctx, String nonce) {
        Optional<CanaryTickets.Ticket> t = nonce.matches("[0-9a-f]{32}") ? tickets.find(nonce) : Optional.empty();
        if (t.isEmpty()) {
            Answers.text(ctx, 404, "no live canary ticket " + ProxyException.oneLine(nonce)
                    + " on this gateway (tickets live " + CanaryTickets.TTL.toMinutes() + " minutes)\n");
            return;
        }
        StringBuilder b = new StringBuilder("{\n  \"nonce\": \"").append(nonce).append("\",\n  \"version\": \"")
                .append(Canary.version(t.get().slot())).append("\",\n  \"seen\": [");
        String sep = "\n";
        for (CanaryTickets.Sighting s : t.get().seen()) {
            b.append(sep).append("    {\"what\": ").append(ClientSettings.json(s.what()))
                    .append(", \"identity\": ").append(ClientSettings.json(s.identity()))
                    .append(", \"address\": ").append(ClientSettings.json(String.valueOf(s.address())))
                    .append(", \"userAgent\": ").append(ClientSettings.json(s.userAgent() == null ? "" : s.userAgent()))
                    .append(", \"status\": ").append(s.status())
                    .append(", \"time\": \"").append(s.time()).append("\"}");
            sep = ",\n";
        }
        b.append(t.get().seen().isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        Answers.json(ctx, b.toString());
    }
}
