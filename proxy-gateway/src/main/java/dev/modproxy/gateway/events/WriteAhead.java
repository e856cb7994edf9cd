package dev.modproxy.gateway.events;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * When a request's audit event goes into the journal: before the answer's last byte goes to the
 * network. A client that has the whole answer may move on at once, and the gateway may be killed
 * the next moment; an event written after the last write (in the response's end handler) was
 * lost in that moment (issue #24: a {@code .mod} that go had in full, from the gateway HaIT
 * SIGKILLed right after, had no event).
 *
 * <ul>
 *   <li>An answer whose head goes out with all of its body — {@code end(body)}, {@code sendFile},
 *       HEAD, 304, every error line — is written from the headers-end handler: Vert.x calls it
 *       with the status and the byte count final and before it writes anything, and calls
 *       AuditTrail's last, after every handler that may still set a header.</li>
 *   <li>An answer streamed in parts is written by its streamer just before the last part
 *       ({@link #beforeLastWrite}).</li>
 *   <li>Anything else when the response ends, as before: an answer forwarded in several parts
 *       from sumdb-service or audit-service, a JAX-RS streaming answer, a file over HTTP/2
 *       (Vert.x pipes it in parts), a response closed before it ended. For those a kill between
 *       their last write and the end handler loses the event.</li>
 * </ul>
 * Once per request, whichever comes first. An answer cut after its event was written (the peer
 * resets the connection during the last write) keeps the event as it was to be sent: recorded at
 * least once, like the journal's delivery.
 */
public final class WriteAhead {

    private static final Logger LOG = Logger.getLogger(WriteAhead.class);
    private static final String KEY = "modproxy.audit.write-ahead";

    /** Builds the event from the context and appends it; {@code bytes} is the body's full length. */
    interface Publish {
        void publish(RoutingContext ctx, Instant start, long micros, long bytes);
    }

    private final RoutingContext ctx;
    private final Publish publish;
    private final Instant start = Instant.now();
    private final long t0 = System.nanoTime();
    // Every caller runs on the request's event loop: no lock.
    private boolean written;

    private WriteAhead(RoutingContext ctx, Publish publish) {
        this.ctx = ctx;
        this.publish = publish;
    }

    static void watch(RoutingContext ctx, Publish publish) {
        WriteAhead w = new WriteAhead(ctx, publish);
        ctx.put(KEY, w);
        ctx.addHeadersEndHandler(v -> w.headersEnd());
        ctx.addEndHandler(ar -> w.write(ctx.response().bytesWritten()));
    }

    /** Called by a streamer just before it writes the last {@code lastBytes} of the body. */
    public static void beforeLastWrite(RoutingContext ctx, long lastBytes) {
        WriteAhead w = ctx.get(KEY);
        if (w != null) {
            w.write(ctx.response().bytesWritten() + lastBytes);
        }
    }

    private void headersEnd() {
        HttpServerResponse r = ctx.response();
        long declared = declaredLength(r);
        if (r.ended()) {
            // HTTP/2 counts the body only as it writes it, after this handler; its declared length is set.
            write(ctx.request().method() == HttpMethod.HEAD ? r.bytesWritten() : Math.max(r.bytesWritten(), declared));
        } else if (declared >= 0 && declared == r.bytesWritten()) {
            // HTTP/1.1 sendFile counts the file before the head; or a first write that is the whole body.
            write(declared);
        }
    }

    /** The Content-Length set on the response, or -1. */
    private static long declaredLength(HttpServerResponse r) {
        String length = r.headers().get(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void write(long bytes) {
        if (written) {
            return;
        }
        written = true;
        try {
            publish.publish(ctx, start, (System.nanoTime() - t0) / 1000, bytes);
        } catch (RuntimeException e) {
            // Called from inside the response's own write: a failure here must not break the answer.
            LOG.warnf(e, "audit event of %s not written: %s", ctx.request().path(), e);
        }
    }
}
