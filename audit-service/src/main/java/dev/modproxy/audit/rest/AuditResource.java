package dev.modproxy.audit.rest;

import dev.modproxy.audit.config.AuditConfig;
import dev.modproxy.audit.events.AuditEventCodec;
import dev.modproxy.audit.service.AuditException;
import dev.modproxy.audit.service.AuditQuery;
import dev.modproxy.audit.service.AuditQueryService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /api/v1/audit}: the audit trail, as pages of JSON or as one NDJSON stream.
 *
 * <p>JSON page: {@code {"events":[<event>,...],"next":"<cursor>"|null}} — pass {@code next} back
 * as {@code cursor} for the following page; {@code null} means there is none. NDJSON
 * ({@code format=ndjson}, {@code application/x-ndjson}): every match, one event per line,
 * streamed as it is read. Parameters: {@link AuditQuery}.
 */
@Path("/api/v1/audit")
public class AuditResource {

    static final String NDJSON = "application/x-ndjson";

    private final AuditQueryService queries;
    private final AuditConfig config;

    public AuditResource(AuditQueryService queries, AuditConfig config) {
        this.queries = queries;
        this.config = config;
    }

    @GET
    @Blocking
    public Response query(@Context UriInfo uri) throws Exception {
        jakarta.ws.rs.core.MultivaluedMap<String, String> params;
        try {
            params = uri.getQueryParameters(true);
        } catch (IllegalArgumentException e) {
            throw new AuditException(AuditException.Kind.BAD_REQUEST, "malformed query string: bad percent-encoding");
        }
        AuditQuery q = AuditQuery.parse(params, config.audit().maxLimit());
        if (q.ndjson()) {
            long max = q.limit().map(Integer::longValue).orElse(Long.MAX_VALUE);
            StreamingOutput body = out -> {
                OutputStream o = new BufferedOutputStream(out, 65536);
                queries.run(q, max, e -> {
                    AuditEventCodec.write(e, o);
                    o.write('\n');
                });
                o.flush();
            };
            return Response.ok(body, NDJSON).build();
        }
        // A page is small (limit is bounded), so it is built whole: a storage failure can still be a 503.
        ByteArrayOutputStream page = new ByteArrayOutputStream(8192);
        page.write("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        boolean[] first = {true};
        Optional<AuditQuery.Cursor> next = queries.run(q, q.limit().orElse(config.audit().defaultLimit()), e -> {
            if (!first[0]) {
                page.write(',');
            }
            first[0] = false;
            AuditEventCodec.write(e, page);
        });
        page.write(("],\"next\":" + next.map(c -> "\"" + c.encode() + "\"").orElse("null") + "}")
                .getBytes(StandardCharsets.US_ASCII));
        return Response.ok(page.toByteArray(), "application/json").build();
    }
}
