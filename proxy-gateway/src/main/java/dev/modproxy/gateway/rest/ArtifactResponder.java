package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Writes an {@link Artifact} as the HTTP answer, on the event loop.
 *
 * <p>Headers: the content type of the request type; {@code Cache-Control} from the artifact
 * (immutable for a year, or the list TTL); for stored artifacts the storage ETag (strong) and
 * {@code Last-Modified}, {@code Accept-Ranges: bytes}. {@code If-None-Match} that matches the
 * ETag gives 304; a single {@code Range} gives 206 (see {@link ByteRange}). HEAD gets the
 * headers of the GET, Content-Length included, and no body. In-memory bytes are written
 * directly; a stored blob with a local file (fs storage) is sent zero-copy with sendfile
 * (Netty's FileRegion: no copy through the heap, no worker thread); other stored blobs go
 * through a {@link BlobPump}.
 */
final class ArtifactResponder {

    private final ArtifactService service;
    private final int chunk;

    ArtifactResponder(ArtifactService service, int chunk) {
        this.service = service;
        this.chunk = chunk;
    }

    void send(RoutingContext ctx, Artifact artifact) throws ProxyException {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        MultiMap headers = response.headers();
        headers.set(HttpHeaders.CACHE_CONTROL, artifact.cacheControl());
        String etag = artifact.etag();
        if (etag != null) {
            headers.set(HttpHeaders.ETAG, etag);
        }
        if (artifact.lastModified() != null) {
            headers.set(HttpHeaders.LAST_MODIFIED, HttpDates.format(artifact.lastModified()));
        }
        if (artifact.immutable()) {
            headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        }
        if (etag != null && matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        long size = artifact.size();
        ByteRange range = artifact.immutable()
                ? ByteRange.of(request.getHeader("Range"), request.getHeader("If-Range"), etag,
                        artifact.lastModified(), size)
                : ByteRange.FULL;
        long offset = 0;
        long length = size;
        if (range instanceof ByteRange.Unsatisfiable) {
            throw new ProxyException(Kind.RANGE_NOT_SATISFIABLE,
                    "range not satisfiable: " + request.getHeader("Range") + " (size " + size + ")",
                    Map.of("Content-Range", "bytes */" + size, "Accept-Ranges", "bytes"), null);
        }
        if (range instanceof ByteRange.Partial p) {
            offset = p.first();
            length = p.length();
            response.setStatusCode(206);
            headers.set("Content-Range", "bytes " + p.first() + "-" + p.last() + "/" + size);
        }
        headers.set(HttpHeaders.CONTENT_TYPE, artifact.contentType());
        headers.set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        if (request.method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        if (artifact instanceof Artifact.InMemory m) {
            // Wrapping shares the cached array without copying; Netty never writes into it.
            response.end(Buffer.buffer(Unpooled.wrappedBuffer(m.bytes(), (int) offset, (int) length)));
        } else if (artifact instanceof Artifact.Stored s && s.file() != null) {
            sendFile(ctx, s, offset, length);
        } else {
            new BlobPump(ctx, service, (Artifact.Stored) artifact, offset, length, chunk).start();
        }
    }

    /**
     * Opening the file happens on the event loop (a local open, like a stat); the bytes go from
     * the page cache to the socket in the kernel. If the file vanished (an operator deleted the
     * blob) before anything was sent, the client gets the 503 storage answer; after that, a reset.
     */
    private static void sendFile(RoutingContext ctx, Artifact.Stored artifact, long offset, long length) {
        HttpServerResponse response = ctx.response();
        response.sendFile(artifact.file().toString(), offset, length).onFailure(e -> {
            if (response.headWritten()) {
                response.reset();
            } else {
                response.headers().remove(HttpHeaders.CONTENT_LENGTH);
                ctx.fail(new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + artifact.info().key()
                        + ": " + e.getMessage(), e));
            }
        });
    }

    /** If-None-Match: "*" or a list of entity tags, compared weakly (RFC 9110 section 13.1.2). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
