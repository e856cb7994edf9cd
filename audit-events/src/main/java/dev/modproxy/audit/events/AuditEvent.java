package dev.modproxy.audit.events;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request the gateway answered, as the audit trail keeps it (schema version {@value #SCHEMA}).
 *
 * <p>Schema rules (the README's "Audit events" section is the reader's copy):
 * <ul>
 *   <li>Serialized by {@link AuditEventCodec} as one JSON object per line; field names are the
 *       record component names. Absent values ({@code null}) are left out of the JSON.</li>
 *   <li>{@code schema} is the version of this shape. A reader accepts any version up to its own
 *       and ignores fields it does not know, so new optional fields do not need a new version;
 *       removing or changing the meaning of a field does.</li>
 *   <li>{@code id} is a random UUID given when the event is made: it is the identity the store
 *       deduplicates on, whatever retries, replays or redeliveries happened on the way.</li>
 *   <li>{@code time} is when the request arrived (RFC 3339, UTC, microseconds at most);
 *       {@code durationMicros} runs from then to the last byte sent.</li>
 * </ul>
 *
 * @param schema       schema version, {@value #SCHEMA} for events made by this code
 * @param id           event id (random UUID)
 * @param time         when the request arrived
 * @param requestId    the gateway's request id (also in its logs), or null
 * @param client       client address (IP, as the gateway saw it after trusted proxies)
 * @param identity     authenticated identity, or null for anonymous requests
 * @param userAgent    User-Agent header, or null
 * @param method       HTTP method
 * @param kind         what was asked for
 * @param module       module path (not escaped), or null when the request names none
 * @param version      module version or query ({@code latest} has none), or null
 * @param status       HTTP status sent
 * @param bytes        body bytes sent
 * @param durationMicros time to answer, in microseconds
 * @param cache        where the answer came from, or null when not applicable
 * @param upstream     upstream that served a miss (URL or {@code direct}), or null
 * @param decision     policy outcome ({@code allow}, {@code deny}, {@code hidden}, {@code admin-denied}, {@code filtered}), or null when no policy ran
 * @param reason       the rule and reason behind the decision, or null
 * @param replica      the gateway replica that answered (host name or pod name)
 */
public record AuditEvent(
        int schema,
        UUID id,
        Instant time,
        String requestId,
        String client,
        String identity,
        String userAgent,
        String method,
        Kind kind,
        String module,
        String version,
        int status,
        long bytes,
        long durationMicros,
        Cache cache,
        String upstream,
        String decision,
        String reason,
        String replica) {

    /** The schema version this code writes. */
    public static final int SCHEMA = 1;

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        if (schema < 1) {
            throw new IllegalArgumentException("schema version must be positive: " + schema);
        }
    }

    /** What the request asked for. */
    public enum Kind {
        LIST, INFO, MOD, ZIP, LATEST, SUMDB, API;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind ofWire(String s) {
            for (Kind k : values()) {
                if (k.wire().equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown kind \"" + s + "\" (list, info, mod, zip, latest, sumdb, api)");
        }
    }

    /** Where the answer came from: storage or memory (hit), a fetcher (miss), or neither (bypass). */
    public enum Cache {
        HIT, MISS, BYPASS;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Cache ofWire(String s) {
            for (Cache c : values()) {
                if (c.wire().equals(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown cache outcome \"" + s + "\" (hit, miss, bypass)");
        }
    }

    private static final long PROCESS_BITS = new SecureRandom().nextLong();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * A fresh event id, unique without asking the kernel for randomness on every request
     * ({@link UUID#randomUUID()} reads SecureRandom, a measurable share of the gateway's time per
     * request): 60 random bits drawn once per process, a 62-bit counter below them. Laid out as
     * an RFC 4122 version 4, variant 2 UUID so every consumer parses it as one.
     */
    public static UUID newId() {
        long msb = (PROCESS_BITS & ~0xF000L) | 0x4000L;
        long lsb = (SEQUENCE.incrementAndGet() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** A builder, because nineteen positional arguments invite mistakes at call sites. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fills what the gateway does not care to choose: schema, a fresh id, the current time. */
    public static final class Builder {
        private UUID id;
        private Instant time = Instant.now();
        private String requestId;
        private String client;
        private String identity;
        private String userAgent;
        private String method = "GET";
        private Kind kind = Kind.API;
        private String module;
        private String version;
        private int status;
        private long bytes;
        private long durationMicros;
        private Cache cache;
        private String upstream;
        private String decision;
        private String reason;
        private String replica;

        public Builder id(UUID v) { id = v; return this; }
        public Builder time(Instant v) { time = v; return this; }
        public Builder requestId(String v) { requestId = v; return this; }
        public Builder client(String v) { client = v; return this; }
        public Builder identity(String v) { identity = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder method(String v) { method = v; return this; }
        public Builder kind(Kind v) { kind = v; return this; }
        public Builder module(String v) { module = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder status(int v) { status = v; return this; }
        public Builder bytes(long v) { bytes = v; return this; }
        public Builder durationMicros(long v) { durationMicros = v; return this; }
        public Builder cache(Cache v) { cache = v; return this; }
        public Builder upstream(String v) { upstream = v; return this; }
        public Builder decision(String v) { decision = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder replica(String v) { replica = v; return this; }

        public AuditEvent build() {
            return new AuditEvent(SCHEMA, id != null ? id : newId(), time, requestId, client, identity, userAgent, method, kind, module,
                    version, status, bytes, durationMicros, cache, upstream, decision, reason, replica);
        }
    }
}
