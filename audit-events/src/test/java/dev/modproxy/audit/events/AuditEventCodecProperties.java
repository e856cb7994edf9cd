package dev.modproxy.audit.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.modproxy.gomod.text.GoUtf8;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written encoder against Jackson's generator (what the format was first written with,
 * and what the readers parse with): the same bytes for any event, and a round trip back.
 */
class AuditEventCodecProperties {

    @Property(tries = 3000)
    void encodesTheBytesJacksonWould(@ForAll("events") AuditEvent e) throws IOException {
        assertArrayEquals(jackson(e), AuditEventCodec.encode(e), () -> AuditEventCodec.encodeToString(e));
    }

    @Property(tries = 3000)
    void decodesWhatItEncodes(@ForAll("events") AuditEvent e) throws Exception {
        AuditEvent back = AuditEventCodec.decode(AuditEventCodec.encode(e));
        assertEquals(e.time().truncatedTo(ChronoUnit.MICROS), back.time());
        assertEquals(AuditEventCodec.encodeToString(e), AuditEventCodec.encodeToString(back));
    }

    @Provide
    Arbitrary<AuditEvent> events() {
        // Any text a client can put in a header or path, control characters and astral planes included.
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20).filter(GoUtf8::isValid),
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u00e9\u20ac").ofMaxLength(10)).injectNull(0.2);
        Arbitrary<Instant> time = Arbitraries.oneOf(
                Arbitraries.longs().between(-62167219200L, 253402300799L)
                        .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n))),
                Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond),
                Arbitraries.longs().between(0, 4_000_000_000L).map(s -> Instant.ofEpochSecond(s, 123_000_000L)));
        Arbitrary<AuditEvent.Builder> base = Combinators.combine(
                Arbitraries.longs(), Arbitraries.longs(), time, text, text, text, text, text)
                .as((hi, lo, t, a, b, c, d, f) -> AuditEvent.builder().id(new UUID(hi, lo)).time(t)
                        .requestId(a).client(b).identity(c).userAgent(d).method(f == null ? "GET" : f));
        return Combinators.combine(base, Arbitraries.of(AuditEvent.Kind.class), text, text,
                Arbitraries.integers().between(0, 999), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.of(AuditEvent.Cache.class).injectNull(0.3), text)
                .as((bld, kind, module, version, status, bytes, cache, reason) -> bld.kind(kind).module(module)
                        .version(version).status(status).bytes(bytes).durationMicros(bytes / 3).cache(cache)
                        .upstream(reason).decision(module).reason(reason).replica(version).build());
    }

    /** The event as Jackson's streaming generator writes it: fields in record order, nulls left out. */
    static byte[] jackson(AuditEvent e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schema", e.schema());
            g.writeStringField("id", e.id().toString());
            g.writeStringField("time", e.time().truncatedTo(ChronoUnit.MICROS).toString());
            str(g, "requestId", e.requestId());
            str(g, "client", e.client());
            str(g, "identity", e.identity());
            str(g, "userAgent", e.userAgent());
            str(g, "method", e.method());
            g.writeStringField("kind", e.kind().wire());
            str(g, "module", e.module());
            str(g, "version", e.version());
            g.writeNumberField("status", e.status());
            g.writeNumberField("bytes", e.bytes());
            g.writeNumberField("durationMicros", e.durationMicros());
            str(g, "cache", e.cache() == null ? null : e.cache().wire());
            str(g, "upstream", e.upstream());
            str(g, "decision", e.decision());
            str(g, "reason", e.reason());
            str(g, "replica", e.replica());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void str(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
