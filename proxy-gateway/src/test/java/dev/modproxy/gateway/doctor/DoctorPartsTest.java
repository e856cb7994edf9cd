package dev.modproxy.gateway.doctor;

import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.zip.ModuleZip;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the doctor: settings rendering, the canary's files, tickets, redaction. */
class DoctorPartsTest {

    private static final String KEY = "sum.modproxy.local+abcd1234+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    @Test
    void settingsInEveryFormat() {
        ClientSettings s = ClientSettings.of("https://modproxy.corp.example/", false, KEY, "corp.example.com");
        assertEquals("https://modproxy.corp.example", s.goproxy());
        String w = s.render(ClientSettings.Format.GO_ENV_W);
        assertTrue(w.contains("go env -w GOPROXY='https://modproxy.corp.example'\n"), w);
        assertTrue(w.contains("go env -w GOSUMDB='" + KEY + "'\n"), w);
        assertTrue(w.contains("go env -w GOPRIVATE=''\n"), w);
        assertTrue(w.contains("curl -fsS https://modproxy.corp.example/doctor | sh"), w);
        assertTrue(s.render(ClientSettings.Format.GOENV).contains("\nGONOSUMDB=\n"));
        assertTrue(s.render(ClientSettings.Format.SH).contains("export GOINSECURE=''\n"));
        String json = s.render(ClientSettings.Format.JSON);
        assertTrue(json.contains("{\"name\": \"GOSUMDB\", \"value\": \"" + KEY + "\""), json);
        assertTrue(json.contains("modproxy itself fetches corp.example.com from git"), json);
        assertEquals("https://m.example,direct", ClientSettings.of("https://m.example", true, KEY, "").goproxy());
        assertEquals("https://m.example", ClientSettings.of("https://m.example", true, KEY, "").base());
        assertEquals(null, ClientSettings.Format.parse("yaml"));
        assertEquals(ClientSettings.Format.GO_ENV_W, ClientSettings.Format.parse(null));
    }

    @Test
    void canaryFilesAreAValidModuleWithStableHashes(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Canary a = new Canary();
        Canary b = new Canary();
        for (int slot : new int[] {0, Canary.SLOTS - 1}) {
            Canary.Files f = a.files(slot);
            assertEquals(ModuleVersion.of(Canary.PATH, Canary.version(slot)), f.mv());
            Path zip = dir.resolve(slot + ".zip");
            Files.write(zip, f.zip());
            ModuleZip.checkZip(f.mv(), zip).throwIfInvalid();
            assertEquals(DirHash.hashZip(zip), f.zipHash());
            assertEquals(DirHash.hashGoMod(f.mod()), f.modHash());
            assertEquals(f.zipHash(), b.files(slot).zipHash(), "the same bytes on every replica");
        }
        assertEquals(3, Canary.slot("v0.0.0-canary.3"));
        for (String v : new String[] {"v0.0.0-canary.03", "v0.0.0-canary." + Canary.SLOTS, "v1.0.0", "v0.0.0-canary.", null}) {
            assertEquals(-1, Canary.slot(v), v);
        }
    }

    @Test
    void ticketsAreUnguessableBoundedAndExpire() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return now[0]; }
        };
        CanaryTickets tickets = new CanaryTickets(clock);
        Set<Integer> slots = new HashSet<>();
        CanaryTickets.Ticket first = null;
        for (int i = 0; i < Canary.SLOTS; i++) {
            CanaryTickets.Ticket t = tickets.issue("10.0.0." + i / CanaryTickets.MAX_PER_CLIENT).orElseThrow();
            assertTrue(t.nonce().matches("[0-9a-f]{32}"));
            assertTrue(slots.add(t.slot()), "two live tickets on one slot");
            first = first == null ? t : first;
        }
        assertTrue(tickets.issue("10.0.1.1").isEmpty(), "every slot is held");
        tickets.saw(first.slot(), "zip", "alice", "127.0.0.1", "Go-http-client/1.1", 200);
        assertEquals("alice", tickets.find(first.nonce()).orElseThrow().seen().get(0).identity());
        assertTrue(tickets.find("0".repeat(32)).isEmpty());
        now[0] = now[0].plus(CanaryTickets.TTL).plusSeconds(1);
        assertTrue(tickets.find(first.nonce()).isEmpty(), "expired");
        assertTrue(tickets.issue("10.0.1.1").isPresent(), "an expired ticket's slot is free again");
        CanaryTickets few = new CanaryTickets(clock);
        for (int i = 0; i < CanaryTickets.MAX_PER_CLIENT; i++) {
            assertTrue(few.issue("192.0.2.1").isPresent());
        }
        assertTrue(few.issue("192.0.2.1").isEmpty(), "one address cannot hold every slot");
        assertTrue(few.issue("192.0.2.2").isPresent());
    }

    @Test
    void redactionKeepsNoCredential() {
        assertEquals("Basic [redacted]", Redaction.header("Authorization", "Basic cm9vdDpyb290LXB3"));
        assertEquals("Bearer [redacted]", Redaction.header("Proxy-Authorization", "Bearer abc.def"));
        assertEquals("[redacted]", Redaction.header("Cookie", "session=s3cret"));
        assertEquals("[redacted]", Redaction.header("X-Api-Key", "k"));
        assertEquals("[redacted]", Redaction.header("X-Auth-Token", "t"));
        assertEquals("x Bearer [redacted] y", Redaction.header("X-Note", "x Bearer s3cret y"));
        assertEquals("Go-http-client/1.1", Redaction.header("User-Agent", "Go-http-client/1.1"));
        assertEquals("a=1&token=[redacted]&api_key=[redacted]", Redaction.query("a=1&token=s3cret&api_key=k"));
        assertFalse(Redaction.query("password=hunter2").contains("hunter2"));
    }
}
