package dev.modproxy.audit.events;

import dev.modproxy.audit.events.AuditEventCodec.MalformedEventException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire format of an audit event: round trips, the fixed field names, and what is refused. */
class AuditEventCodecTest {

    static AuditEvent full() {
        return AuditEvent.builder()
                .id(UUID.fromString("0b6f5f0e-2f65-4a9a-9c55-6a0f2d7c1e11"))
                .time(Instant.parse("2024-03-04T05:06:07.123456Z"))
                .requestId("req-1").client("10.1.2.3").identity("alice").userAgent("Go-http-client/1.1 \"quoted\"")
                .method("GET").kind(AuditEvent.Kind.ZIP).module("golang.org/x/text").version("v0.14.0")
                .status(200).bytes(123456).durationMicros(789).cache(AuditEvent.Cache.MISS)
                .upstream("https://proxy.golang.org").decision("allow").reason("default").replica("gw-0")
                .build();
    }

    @Test
    void roundTripsEveryField() throws Exception {
        AuditEvent e = full();
        assertEquals(e, AuditEventCodec.decode(AuditEventCodec.encode(e)));
    }

    @Test
    void leavesOutNullsAndKeepsTheDocumentedNames() throws Exception {
        AuditEvent e = AuditEvent.builder().id(UUID.fromString("00000000-0000-0000-0000-000000000001"))
                .time(Instant.parse("2024-01-01T00:00:00Z")).kind(AuditEvent.Kind.LIST).module("m.example/a")
                .status(404).client("127.0.0.1").replica("r").build();
        String json = AuditEventCodec.encodeToString(e);
        assertEquals("{\"schema\":1,\"id\":\"00000000-0000-0000-0000-000000000001\",\"time\":\"2024-01-01T00:00:00Z\","
                + "\"client\":\"127.0.0.1\",\"method\":\"GET\",\"kind\":\"list\",\"module\":\"m.example/a\","
                + "\"status\":404,\"bytes\":0,\"durationMicros\":0,\"replica\":\"r\"}", json);
        assertEquals(e, AuditEventCodec.decode(json));
    }

    @Test
    void ignoresUnknownFieldsFromNewerWriters() throws Exception {
        String json = AuditEventCodec.encodeToString(full()).replace("{\"schema\":1,",
                "{\"schema\":1,\"extra\":{\"nested\":[1,2]},\"more\":null,");
        assertEquals(full(), AuditEventCodec.decode(json));
    }

    @Test
    void truncatesTimeToMicroseconds() throws Exception {
        AuditEvent e = AuditEvent.builder().time(Instant.parse("2024-01-01T00:00:00.123456789Z")).build();
        assertEquals(Instant.parse("2024-01-01T00:00:00.123456Z"), AuditEventCodec.decode(AuditEventCodec.encode(e)).time());
    }

    @Test
    void refusesWhatIsNotAnEvent() {
        String good = AuditEventCodec.encodeToString(full());
        for (String bad : new String[]{"", "[]", "null", "{", good + "x", good.replace("\"schema\":1", "\"schema\":2"),
                good.replace("\"kind\":\"zip\"", "\"kind\":\"tar\""), good.replace("\"time\":\"2024", "\"time\":\"x2024"),
                good.replace("\"id\":\"0b6f", "\"id\":\"zz"), "{\"schema\":1,\"time\":\"2024-01-01T00:00:00Z\",\"kind\":\"list\"}",
                good.replace("\"status\":200", "\"status\":\"200\"")}) {
            MalformedEventException ex = assertThrows(MalformedEventException.class, () -> AuditEventCodec.decode(bad), bad);
            assertTrue(!ex.getMessage().contains("\n"), ex.getMessage());
        }
    }

    @Test
    void writesALoneSurrogateAsTheReplacementCharacter() throws Exception {
        // A header may carry any char; an unpaired surrogate has no UTF-8 form and must not lose the event.
        AuditEvent e = AuditEvent.builder().time(Instant.parse("2024-01-01T00:00:00Z")).userAgent("a\ud800b").build();
        assertEquals("a\ufffdb", AuditEventCodec.decode(AuditEventCodec.encode(e)).userAgent());
    }
}
