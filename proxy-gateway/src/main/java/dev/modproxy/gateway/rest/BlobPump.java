package dev.modproxy.gateway.rest;

import dev.modproxy.gateway.events.WriteAhead;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams a stored blob to the client with bounded memory and without holding a thread while
 * the client is slow.
 *
 * <p>Storage streams block, so each chunk is read on a worker thread; it is written on the
 * event loop, and the next read is started only when the response can take more (its write
 * queue is below the high-water mark, or it has drained). So at most one chunk per download
 * is in memory beyond Netty's write queue, and a slow client parks no thread, only this object.
 * If the stream fails once bytes have gone out, the connection is reset: a client must see a
 * broken download, never a short one that looks whole.
 */
final class BlobPump {

    private static final Logger LOG = Logger.getLogger(BlobPump.class);

    private final RoutingContext ctx;
    private final Vertx vertx;
    private final HttpServerResponse response;
    private final ArtifactService service;
    private final Artifact.Stored artifact;
    private final long offset;
    private final int chunk;
    private long remaining;
    private InputStream in;
    private boolean done;

    BlobPump(RoutingContext ctx, ArtifactService service, Artifact.Stored artifact, long offset, long length, int chunk) {
        this.ctx = ctx;
        this.vertx = ctx.vertx();
        this.response = ctx.response();
        this.service = service;
        this.artifact = artifact;
        this.offset = offset;
        this.remaining = length;
        this.chunk = chunk;
    }

    void start() {
        response.closeHandler(v -> finish());
        vertx.executeBlocking(() -> service.open(artifact, offset, remaining), false).onComplete(ar -> {
            if (ar.failed()) {
                done = true;
                ctx.fail(ar.cause());
                return;
            }
            in = ar.result();
            if (done || response.closed()) {
                finish();
                return;
            }
            readNext();
        });
    }

    private void readNext() {
        int want = (int) Math.min(chunk, remaining);
        InputStream stream = in;
        vertx.executeBlocking(() -> read(stream, want), false).onComplete(ar -> {
            if (done) {
                return;
            }
            if (ar.failed()) {
                LOG.warnf("stream of %s broke with %d bytes still to send: %s", artifact.info().key(),
                        remaining, ar.cause().toString());
                response.reset();
                finish();
                return;
            }
            Buffer buffer = Buffer.buffer(ar.result());
            remaining -= buffer.length();
            if (remaining == 0) {
                // The event first: once the last part is out the client may have it all.
                WriteAhead.beforeLastWrite(ctx, buffer.length());
                response.end(buffer);
                finish();
                return;
            }
            response.write(buffer);
            if (response.writeQueueFull()) {
                // A drain handler fires on every drain; one read at a time, so it is used once.
                response.drainHandler(v -> {
                    response.drainHandler(null);
                    readNext();
                });
            } else {
                readNext();
            }
        });
    }

    private static byte[] read(InputStream in, int want) throws IOException {
        byte[] bytes = in.readNBytes(want);
        if (bytes.length < want) {
            throw new EOFException("storage returned " + bytes.length + " of " + want + " bytes");
        }
        return bytes;
    }

    /** Idempotent; closing a storage stream may block (connection release), so not here. */
    private void finish() {
        done = true;
        InputStream stream = in;
        in = null;
        if (stream != null) {
            vertx.executeBlocking(() -> {
                stream.close();
                return null;
            }, false);
        }
    }
}
