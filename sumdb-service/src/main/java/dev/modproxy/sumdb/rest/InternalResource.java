package dev.modproxy.sumdb.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;
import dev.modproxy.sumdb.service.GoSum;
import dev.modproxy.sumdb.service.OwnDatabase;
import dev.modproxy.sumdb.service.UpstreamDatabase;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.util.Map;

/**
 * The fetcher's API. Both take {@code {"module", "version", "zipHash", "modHash"}} (h1: hashes;
 * verify also takes a go.mod hash alone, for a go.mod served before its zip is fetched):
 * <pre>
 *   POST /internal/v1/sumdb/verify   200 {"status": "ok"|"skipped", "recordId", "reason", "nosumdb"}
 *                                    409 checksum mismatch (both hashes), 404 not in the upstream
 *                                    database, 502/504 upstream database failure or fork
 *   POST /internal/v1/sumdb/record   200 {"id", "database"}: appended, or recorded before with the
 *                                    same hashes; 409 checksum mismatch (both hashes)
 * </pre>
 * "skipped" means the module matches {@code modproxy.nosumdb} or the upstream database is off;
 * "nosumdb" says whether the module matches {@code modproxy.nosumdb} (a bundle import then needs
 * other evidence: a log entry signed by a trusted modproxy, whatever the upstream setting).
 */
@Path("/internal/v1/sumdb")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {

    private final OwnDatabase own;
    private final UpstreamDatabase upstream;
    private final ObjectMapper json;

    public InternalResource(OwnDatabase own, UpstreamDatabase upstream, ObjectMapper json) {
        this.own = own;
        this.upstream = upstream;
        this.json = json;
    }

    @POST
    @Path("record")
    public Map<String, Object> record(byte[] body) throws SumdbException {
        long id = own.record(parse(body, false));
        return Map.of("id", id, "database", own.name());
    }

    @POST
    @Path("verify")
    public Map<String, Object> verify(byte[] body) throws SumdbException {
        GoSum sum = parse(body, true);
        UpstreamDatabase.Verified v = upstream.verify(sum);
        return Map.of("status", v.status(), "recordId", v.recordId(), "reason", v.reason(),
                "nosumdb", upstream.bypasses(sum.mv().path().value()));
    }

    private GoSum parse(byte[] body, boolean zipHashOptional) throws SumdbException {
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (IOException e) {
            throw new SumdbException(Kind.BAD_REQUEST, "body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) {
            throw new SumdbException(Kind.BAD_REQUEST, "body must be a JSON object {module, version, zipHash, modHash}");
        }
        return zipHashOptional
                ? GoSum.forVerification(text(n, "module"), text(n, "version"), text(n, "zipHash"), text(n, "modHash"))
                : GoSum.of(text(n, "module"), text(n, "version"), text(n, "zipHash"), text(n, "modHash"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
