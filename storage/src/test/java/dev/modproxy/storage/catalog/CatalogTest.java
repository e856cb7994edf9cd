package dev.modproxy.storage.catalog;

import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.storage.BlobStore.WriteMode;
import dev.modproxy.storage.fs.FsBlobStore;
import dev.modproxy.storage.layout.ModuleLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {

    @TempDir
    Path dir;

    @Test
    void feedIsChronologicalAcrossMonthsAndFromSince() throws Exception {
        FsBlobStore store = new FsBlobStore(dir);
        Catalog c = new Catalog(store);
        Instant t1 = Instant.parse("2024-01-31T23:59:59.123456Z");
        Instant t2 = Instant.parse("2024-02-01T00:00:00.000001Z");
        Instant t3 = Instant.parse("2024-03-05T10:00:00Z");
        assertTrue(c.record(ModuleVersion.of("example.com/B", "v1.0.0"), t2, "https://up", "h1:z", "h1:m"));
        assertTrue(c.record(ModuleVersion.of("example.com/a", "v1.0.0"), t1, "https://up", null, null));
        assertTrue(c.record(ModuleVersion.of("example.com/a", "v1.1.0"), t3, "direct", null, null));
        assertFalse(c.record(ModuleVersion.of("example.com/a", "v1.0.0"), t3, "again", null, null), "first record stays");

        List<Catalog.Entry> all = c.index(Instant.EPOCH, 2000);
        assertEquals(List.of("example.com/a@v1.0.0", "example.com/B@v1.0.0", "example.com/a@v1.1.0"),
                all.stream().map(e -> e.path() + "@" + e.version()).toList());
        assertEquals("2024-01-31T23:59:59.123456Z", all.get(0).timestampText());
        assertEquals("2024-03-05T10:00:00Z", all.get(2).timestampText());
        assertEquals("2024-01-01T00:00:00.1Z", Catalog.goTime(Instant.parse("2024-01-01T00:00:00.100Z")));

        assertEquals(2, c.index(t2, 10).size(), "since is inclusive");
        assertEquals(1, c.index(Instant.parse("2024-02-01T00:00:00.0000011Z"), 10).size());
        assertEquals(1, c.index(Instant.EPOCH, 1).size());

        Catalog.Entry p = c.provenance(ModuleVersion.of("example.com/B", "v1.0.0")).orElseThrow();
        assertEquals("https://up", p.origin());
        assertEquals("h1:z", p.zipHash());
        assertEquals(t2, p.timestamp());
        assertEquals("https://up", c.provenance(ModuleVersion.of("example.com/a", "v1.0.0")).orElseThrow().origin());
    }

    @Test
    void rebuildFindsCompleteVersionsOnly() throws Exception {
        FsBlobStore store = new FsBlobStore(dir);
        ModuleVersion complete = ModuleVersion.of("example.com/m", "v0.1.0");
        ModuleVersion modOnly = ModuleVersion.of("example.com/m", "v0.2.0");
        put(store, ModuleLayout.artifact(complete, Type.MOD).value(), "module example.com/m\n");
        put(store, ModuleLayout.artifact(complete, Type.INFO).value(), "{\"Version\":\"v0.1.0\"}");
        put(store, ModuleLayout.artifact(modOnly, Type.MOD).value(), "module example.com/m\n");
        Catalog c = new Catalog(store);
        assertEquals(List.of(complete), c.stored(""));
        assertEquals(1, c.rebuild());
        assertEquals(0, c.rebuild());
        assertEquals(1, c.index(Instant.EPOCH, 10).size());
        assertTrue(c.provenance(complete).orElseThrow().origin().startsWith("unknown"));
    }

    @Test
    void flatJsonRoundTrips() {
        Map<String, String> m = Map.of("A", "q\"\\\n\u0001é");
        assertEquals(m, FlatJson.decode(FlatJson.encode(m)));
        assertEquals(Map.of("Version", "v1"), FlatJson.decode(" { \"Version\" : \"v1\" } "));
    }

    private static void put(FsBlobStore store, String key, String body) throws Exception {
        byte[] b = body.getBytes();
        store.put(dev.modproxy.storage.BlobKey.of(key), new ByteArrayInputStream(b), b.length, WriteMode.IMMUTABLE);
    }
}
