package dev.modproxy.gateway.doctor;

import dev.modproxy.gateway.client.SumdbServiceClient;
import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.door.AdminEndpoint;
import dev.modproxy.gateway.door.Target;
import dev.modproxy.gateway.rest.ProxyFailureHandler;
import dev.modproxy.gateway.service.ProxyException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a go user needs to point go at this modproxy and to check it: {@code GET
 * /api/v1/client/env?format=go-env-w|goenv|sh|json} ({@link ClientSettings}) and {@code GET
 * /doctor}, a POSIX sh script ({@code curl -fsS <gateway>/doctor | sh}) with this gateway's URL,
 * checksum database and canary written in. Both need the verifier key from sumdb-service; when
 * it cannot be had, the settings are a 502 that says so and the doctor reports it.
 */
@ApplicationScoped
public class ClientRoute {

    private static final String SCRIPT = "/dev/modproxy/gateway/doctor/doctor.sh";

    private final SumdbServiceClient sumdb;
    private final Optional<URI> externalUrl;
    private final DoctorConfig config;
    private final String script;

    public ClientRoute(SumdbServiceClient sumdb, GatewayConfig gateway, DoctorConfig config) {
        this.sumdb = sumdb;
        this.externalUrl = gateway.gateway().externalUrl();
        this.config = config;
        try (InputStream in = ClientRoute.class.getResourceAsStream(SCRIPT)) {
            this.script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("the doctor script " + SCRIPT + " is missing from the jar"));
        }
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 2).handler(this::handle)
                .failureHandler(new ProxyFailureHandler());
    }

    private void handle(RoutingContext ctx) {
        Target t = Target.of(ctx);
        if (t != null && t.kind() == Target.Kind.ADMIN && t.admin() == AdminEndpoint.CLIENT_ENV) {
            ClientSettings.Format f = ClientSettings.Format.parse(ctx.request().getParam("format"));
            if (f == null) {
                ctx.fail(new ProxyException(ProxyException.Kind.BAD_REQUEST,
                        "format must be go-env-w, goenv, sh or json"));
                return;
            }
            String url = Answers.externalUrl(ctx, externalUrl);
            ctx.vertx().executeBlocking(() -> settings(url, sumdb.verifierKey()).render(f), false).onComplete(ar -> {
                if (ar.failed()) {
                    ctx.fail(ar.cause());
                } else {
                    Answers.send(ctx, 200, f.contentType, ar.result().getBytes(StandardCharsets.UTF_8));
                }
            });
        } else if (t != null && t.kind() == Target.Kind.CONSOLE && t.path().equals("/doctor")) {
            String url = Answers.externalUrl(ctx, externalUrl);
            ctx.vertx().executeBlocking(() -> doctor(url), false).onComplete(ar -> Answers.send(ctx, 200,
                    "text/plain; charset=utf-8", ar.result().getBytes(StandardCharsets.UTF_8)));
        } else {
            ctx.next();
        }
    }

    private ClientSettings settings(String url, String key) {
        return ClientSettings.of(url, config.client().directFallback(), key, config.privatePatterns().orElse(""));
    }

    /** The script with this gateway's values; a key that cannot be had is left empty (the doctor says why). */
    private String doctor(String url) {
        String key;
        String keyProblem = "";
        try {
            key = sumdb.verifierKey();
        } catch (ProxyException e) {
            key = "";
            keyProblem = ProxyException.oneLine(e.getMessage());
        }
        ClientSettings s = settings(url, key);
        return script.replace("@MODPROXY_URL@", sq(s.base()))
                .replace("@MODPROXY_GOPROXY@", sq(s.goproxy()))
                .replace("@MODPROXY_GOSUMDB@", sq(key))
                .replace("@MODPROXY_KEY_PROBLEM@", sq(keyProblem))
                .replace("@MODPROXY_CANARY@", sq(Canary.PATH));
    }

    /** A value as a single-quoted sh word. */
    private static String sq(String v) {
        return ClientSettings.shellQuote(v);
    }
}
