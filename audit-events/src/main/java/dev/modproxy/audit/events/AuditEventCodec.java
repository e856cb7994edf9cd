package dev.modproxy.audit.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * {@link AuditEvent} as JSON, one object per line (NDJSON) — the format on the Kafka topic, in
 * the stored segments, and in {@code format=ndjson} query answers, so an event is the same bytes
 * everywhere.
 *
 * <p>Rules: UTF-8; fields in record order; {@code null} fields are left out; {@code time} is
 * RFC 3339 in UTC ({@link Instant#toString()}, truncated to microseconds); enums are lower case.
 * Decoding ignores unknown fields (newer writers may add optional ones) and rejects a
 * {@code schema} newer than {@link AuditEvent#SCHEMA}, a missing {@code id}/{@code time}/{@code kind},
 * and anything that is not one JSON object, with {@link MalformedEventException}.
 *
 * <p>Decoding uses Jackson's streaming API rather than data binding: no reflection, and the query
 * path parses millions of lines, where binding's overhead shows. Encoding is written by hand
 * ({@link JsonBytes}): the gateway encodes one event per request, and a generator per event plus
 * {@link Instant#toString()} were a tenth of its CPU per hot request; the bytes are the same as
 * Jackson's (AuditEventCodecTest compares them).
 */
public final class AuditEventCodec {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024).build())
            .build();

    private AuditEventCodec() {
    }

    /** The event as one line of JSON, without the line end. */
    public static byte[] encode(AuditEvent e) {
        JsonBytes j = new JsonBytes(384);
        j.raw("{\"schema\":").num(e.schema());
        j.raw(",\"id\":\"").raw(e.id().toString()).raw("\"");
        j.raw(",\"time\":\"").time(e.time()).raw("\"");
        j.field("requestId", e.requestId());
        j.field("client", e.client());
        j.field("identity", e.identity());
        j.field("userAgent", e.userAgent());
        j.field("method", e.method());
        j.field("kind", e.kind().wire());
        j.field("module", e.module());
        j.field("version", e.version());
        j.raw(",\"status\":").num(e.status());
        j.raw(",\"bytes\":").num(e.bytes());
        j.raw(",\"durationMicros\":").num(e.durationMicros());
        j.field("cache", e.cache() == null ? null : e.cache().wire());
        j.field("upstream", e.upstream());
        j.field("decision", e.decision());
        j.field("reason", e.reason());
        j.field("replica", e.replica());
        j.raw("}");
        return j.toByteArray();
    }

    public static String encodeToString(AuditEvent e) {
        return new String(encode(e), StandardCharsets.UTF_8);
    }

    /** Writes the event as JSON (no line end) to {@code out}, which is left open. */
    public static void write(AuditEvent e, OutputStream out) throws IOException {
        out.write(encode(e));
    }

    public static AuditEvent decode(String json) throws MalformedEventException {
        return decode(json.getBytes(StandardCharsets.UTF_8), 0, json.length() == 0 ? 0 : -1);
    }

    public static AuditEvent decode(byte[] json) throws MalformedEventException {
        return decode(json, 0, json.length);
    }

    /** Decodes {@code length} bytes from {@code offset} ({@code -1}: to the end of the array). */
    public static AuditEvent decode(byte[] json, int offset, int length) throws MalformedEventException {
        if (json != null && length < 0) {
            length = json.length - offset;
        }
        if (json == null || length == 0) {
            throw new MalformedEventException("empty audit event");
        }
        try (JsonParser p = JSON.createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("audit event is not a JSON object");
            }
            int schema = 0;
            UUID id = null;
            Instant time = null;
            String requestId = null, client = null, identity = null, userAgent = null, method = null;
            AuditEvent.Kind kind = null;
            String module = null, version = null, upstream = null, decision = null, reason = null, replica = null;
            int status = 0;
            long bytes = 0, duration = 0;
            AuditEvent.Cache cache = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "schema" -> schema = p.getIntValue();
                    case "id" -> id = UUID.fromString(text(p, name));
                    case "time" -> time = Instant.parse(text(p, name));
                    case "requestId" -> requestId = text(p, name);
                    case "client" -> client = text(p, name);
                    case "identity" -> identity = text(p, name);
                    case "userAgent" -> userAgent = text(p, name);
                    case "method" -> method = text(p, name);
                    case "kind" -> kind = AuditEvent.Kind.ofWire(text(p, name));
                    case "module" -> module = text(p, name);
                    case "version" -> version = text(p, name);
                    case "status" -> status = p.getIntValue();
                    case "bytes" -> bytes = p.getLongValue();
                    case "durationMicros" -> duration = p.getLongValue();
                    case "cache" -> cache = AuditEvent.Cache.ofWire(text(p, name));
                    case "upstream" -> upstream = text(p, name);
                    case "decision" -> decision = text(p, name);
                    case "reason" -> reason = text(p, name);
                    case "replica" -> replica = text(p, name);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new MalformedEventException("audit event is not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new MalformedEventException("trailing data after the audit event");
            }
            if (schema < 1 || schema > AuditEvent.SCHEMA) {
                throw new MalformedEventException("unsupported audit schema version " + schema);
            }
            if (id == null || time == null || kind == null) {
                throw new MalformedEventException("audit event lacks " + (id == null ? "id" : time == null ? "time" : "kind"));
            }
            return new AuditEvent(schema, id, time, requestId, client, identity, userAgent, method, kind, module,
                    version, status, bytes, duration, cache, upstream, decision, reason, replica);
        } catch (MalformedEventException e) {
            throw e;
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw new MalformedEventException("malformed audit event: " + m.lines().findFirst().orElse(m));
        }
    }

    private static String text(JsonParser p, String name) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new MalformedEventException(name + " is not a string");
        }
        return p.getText();
    }

    /** Bytes that are not an audit event this code can read. */
    public static final class MalformedEventException extends IOException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
