package dev.modproxy.fetcher.rest;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.fetcher.service.FetchMetrics;
import dev.modproxy.fetcher.service.ModuleFetcher;
import dev.modproxy.fetcher.service.ModuleFetcher.Fetched;
import dev.modproxy.fetcher.service.VersionLists;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.proxy.ProxyRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;

/**
 * The fetcher's internal API, called by the gateway on a storage miss. It mirrors the GOPROXY
 * protocol below {@value #PREFIX}:
 * <pre>
 *   GET &lt;module&gt;/@v/list        200 the merged version list
 *   GET &lt;module&gt;/@latest        200 the latest version's .info
 *   GET &lt;module&gt;/@v/V.info      200 the .info; with modproxy.fetch.early-info (default) the
 *                                  whole version is being fetched in the background, else stored
 *   GET &lt;module&gt;/@v/V.mod       200 the .mod, now stored (nothing else is fetched), or, while a
 *                                  background fetch of the version runs, the upstream's, unstored
 *   GET &lt;module&gt;/@v/V.zip       204 the whole version is stored; the gateway serves the zip
 * </pre>
 * Errors are the status the gateway passes on with a one-line text reason; the header
 * {@code X-Modproxy-Upstream} names the upstream that answered or failed.
 *
 * <p>A {@code .info} asked with {@value #WITH_MOD}{@code : 1} and answered early also carries
 * the version's {@code .mod} when the fetcher could get and check it: the body is the
 * {@code .info} followed by the {@code .mod}, and {@value #INFO_LENGTH} says where the one
 * ends. The {@code go} command asks for the {@code .mod} right after the {@code .info}, one
 * module at a time; carried along, it is one upstream request fewer and one round trip
 * gateway → fetcher fewer per module in a cold fill. Without the request header (another
 * client, an older gateway) the answer is the plain {@code .info}.
 */
@Path(FetchResource.PREFIX)
public class FetchResource {

    static final String PREFIX = "/internal/v1/fetch";
    static final String WITH_MOD = "X-Modproxy-With-Mod";
    static final String INFO_LENGTH = "X-Modproxy-Info-Length";

    private final ModuleFetcher fetcher;
    private final VersionLists lists;
    private final FetchMetrics metrics;

    public FetchResource(ModuleFetcher fetcher, VersionLists lists, FetchMetrics metrics) {
        this.fetcher = fetcher;
        this.metrics = metrics;
        this.lists = lists;
    }

    @GET
    @Path("{request: .+}")
    public Response fetch(@Context HttpServerRequest http) throws FetchException {
        ProxyRequest request = parse(http.path());
        String kind = request.type().name().toLowerCase(java.util.Locale.ROOT);
        long start = System.nanoTime();
        try {
            Response answer = answer(request, "1".equals(http.getHeader(WITH_MOD)));
            metrics.fetch(kind, null, start);
            return answer;
        } catch (FetchException e) {
            metrics.fetch(kind, e, start);
            if (e.isStorageFailure()) {
                metrics.storageError();
            }
            throw e;
        }
    }

    private Response answer(ProxyRequest request, boolean withMod) throws FetchException {
        return switch (request.type()) {
            case LIST -> ok(lists.list(request.module()), MediaType.TEXT_PLAIN + "; charset=utf-8");
            case LATEST -> ok(lists.latest(request.module()), MediaType.APPLICATION_JSON);
            case INFO -> info(fetcher.info(request, withMod));
            case MOD -> ok(fetcher.mod(moduleVersion(request)), MediaType.TEXT_PLAIN + "; charset=utf-8");
            case ZIP -> Response.noContent()
                    .header(FetchExceptionMapper.UPSTREAM_HEADER, fetcher.ensureComplete(moduleVersion(request)))
                    .build();
        };
    }

    private static Response info(Fetched f) {
        if (f.mod() == null) {
            return ok(f, MediaType.APPLICATION_JSON);
        }
        byte[] both = Arrays.copyOf(f.body(), f.body().length + f.mod().length);
        System.arraycopy(f.mod(), 0, both, f.body().length, f.mod().length);
        return Response.ok(both, MediaType.APPLICATION_OCTET_STREAM)
                .header(INFO_LENGTH, f.body().length)
                .header(FetchExceptionMapper.UPSTREAM_HEADER, f.source()).build();
    }

    private static Response ok(Fetched f, String type) {
        return Response.ok(f.body(), type).header(FetchExceptionMapper.UPSTREAM_HEADER, f.source()).build();
    }

    private static ProxyRequest parse(String rawPath) throws FetchException {
        if (!rawPath.startsWith(PREFIX + "/")) {
            throw new FetchException(Kind.BAD_REQUEST, "not a fetch request: " + rawPath);
        }
        try {
            return ProxyRequest.parse(rawPath.substring(PREFIX.length() + 1));
        } catch (GoModException e) {
            throw new FetchException(Kind.BAD_REQUEST, e.getMessage());
        }
    }

    private static dev.modproxy.gomod.module.ModuleVersion moduleVersion(ProxyRequest r) throws FetchException {
        try {
            return r.moduleVersion();
        } catch (GoModException e) {
            throw new FetchException(Kind.BAD_REQUEST, e.getMessage());
        }
    }
}
