package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.support.FakeFetchers;
import dev.modproxy.gateway.support.RecordingBlobStore;
import dev.modproxy.gateway.support.TestModules;
import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static dev.modproxy.gateway.support.TestModules.mv;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bundle export from storage, and an import that refuses anything it cannot verify before it
 * stores a byte. (Importing for real needs sumdb-service: system-tests' OpsIT.)
 */
@QuarkusTest
@WithTestResource(FakeFetchers.class)
class BundleTest {

    static final ModuleVersion MV = mv("example.com/bundled", "v1.0.0");

    @Inject
    RecordingBlobStore store;

    static byte[] realZip(ModuleVersion mv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(mv.path().value() + "@" + mv.version() + "/go.mod"));
            z.write(TestModules.mod(mv));
            z.putNextEntry(new ZipEntry(mv.path().value() + "@" + mv.version() + "/b.go"));
            z.write("package bundled\n".getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    Map<String, byte[]> exported() throws Exception {
        TestModules.put(store.delegate(), MV, Type.MOD, TestModules.mod(MV));
        TestModules.put(store.delegate(), MV, Type.ZIP, realZip(MV));
        TestModules.put(store.delegate(), MV, Type.INFO, TestModules.info(MV));
        byte[] bundle = given().get("/api/v1/bundles?modules=example.com/bundled").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                entries.put(e.getName(), z.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void exportIsAGoproxyTreeWithGoSum() throws Exception {
        Map<String, byte[]> entries = exported();
        assertTrue(entries.containsKey("modproxy-bundle.txt"));
        assertEquals("v1.0.0\n", new String(entries.get("goproxy/example.com/bundled/@v/list"), StandardCharsets.UTF_8));
        Path tmp = Files.createTempFile("b", ".zip");
        Files.write(tmp, entries.get("goproxy/example.com/bundled/@v/v1.0.0.zip"));
        String goSum = new String(entries.get("go.sum"), StandardCharsets.UTF_8);
        assertEquals("example.com/bundled v1.0.0 " + DirHash.hashZip(tmp) + "\n"
                + "example.com/bundled v1.0.0/go.mod " + DirHash.hashGoMod(TestModules.mod(MV)) + "\n", goSum);
        Files.delete(tmp);
        given().get("/api/v1/bundles").then().statusCode(400).body(containsString("exactly one of"));
        given().get("/api/v1/bundles?modules=example.com/nothere").then().statusCode(404);
    }

    @Test
    void importRejectsTamperedAndForeignBundles() throws Exception {
        Map<String, byte[]> entries = exported();
        Map<String, byte[]> tampered = new LinkedHashMap<>(entries);
        tampered.put("goproxy/example.com/bundled/@v/v1.0.0.mod", "module example.com/bundled\n\ngo 1.22\n".getBytes());
        given().body(zip(tampered)).post("/api/v1/bundles").then().statusCode(400)
                .body(containsString("checksum mismatch for its go.mod"));

        Map<String, byte[]> traversal = new LinkedHashMap<>(entries);
        traversal.put("goproxy/../../etc/x.mod", new byte[1]);
        given().body(zip(traversal)).post("/api/v1/bundles").then().statusCode(400)
                .body(containsString("unexpected entry"));

        given().body("not a zip").post("/api/v1/bundles").then().statusCode(400).body(containsString("bundle rejected"));
    }

    @Test
    void aGoModAloneIsVerifiedAgainstTheChecksumDatabaseBeforeItIsStored() throws Exception {
        ModuleVersion mv = mv("example.com/bundled/modonly", "v1.0.0");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("modproxy-bundle.txt", "modproxy bundle 1\n".getBytes(StandardCharsets.UTF_8));
        entries.put("goproxy/example.com/bundled/modonly/@v/v1.0.0.mod", TestModules.mod(mv));
        entries.put("go.sum", ("example.com/bundled/modonly v1.0.0/go.mod " + DirHash.hashGoMod(TestModules.mod(mv)) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        // This test's sumdb-service is unreachable: a go.mod that cannot be verified is not stored.
        given().body(zip(entries)).post("/api/v1/bundles").then().statusCode(502)
                .body(containsString("checksum database"));
        assertTrue(store.delegate().stat(dev.modproxy.storage.layout.ModuleLayout.artifact(mv, Type.MOD)).isEmpty(),
                "nothing stored");
    }

    @TestHTTPResource("/")
    java.net.URI base;

    /**
     * A real-sized bundle (~200 MB) is read whole, streamed from disk to disk: it gets as far as
     * its zip's checksum (wrong in go.sum on purpose, as no sumdb-service runs here), not a 413.
     * Other requests keep the small body limit.
     */
    @Test
    void aBundleOfTwoHundredMegabytesIsImportedNotRefusedAsTooLarge() throws Exception {
        ModuleVersion mv = mv("example.com/bundled/big", "v1.0.0");
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "big-bundle");
        Path bundle = dir.resolve("bundle.zip");
        try {
            String root = mv.path().value() + "@" + mv.version() + "/";
            try (ZipOutputStream b = new ZipOutputStream(Files.newOutputStream(bundle))) {
                b.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
                b.putNextEntry(new ZipEntry("modproxy-bundle.txt"));
                b.write("modproxy bundle 1\n".getBytes(StandardCharsets.UTF_8));
                b.putNextEntry(new ZipEntry("goproxy/example.com/bundled/big/@v/v1.0.0.mod"));
                b.write(TestModules.mod(mv));
                b.putNextEntry(new ZipEntry("goproxy/example.com/bundled/big/@v/v1.0.0.info"));
                b.write(TestModules.info(mv));
                b.putNextEntry(new ZipEntry("goproxy/example.com/bundled/big/@v/v1.0.0.zip"));
                ZipOutputStream m = new ZipOutputStream(b); // the module zip, written into the entry
                m.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
                m.putNextEntry(new ZipEntry(root + "go.mod"));
                m.write(TestModules.mod(mv));
                m.putNextEntry(new ZipEntry(root + "big.bin"));
                java.util.Random random = new java.util.Random(1);
                byte[] chunk = new byte[1 << 20];
                for (int i = 0; i < 200; i++) {
                    random.nextBytes(chunk);
                    m.write(chunk);
                }
                m.finish(); // not close: that would close the bundle
                b.putNextEntry(new ZipEntry("go.sum"));
                b.write(("example.com/bundled/big v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                        + "example.com/bundled/big v1.0.0/go.mod " + DirHash.hashGoMod(TestModules.mod(mv)) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(Files.size(bundle) > 200L << 20, "the bundle is real-sized: " + Files.size(bundle));
            // HTTP/1.1, as curl and most clients send an upload over plain http
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                    java.net.http.HttpRequest.newBuilder(base.resolve("api/v1/bundles"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofFile(bundle)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(r.body().contains("checksum mismatch for its zip"), r.body());
        } finally {
            Files.deleteIfExists(bundle);
            Files.deleteIfExists(dir);
        }
        given().body(new byte[2 << 20]).post("/api/v1/prefetch").then().statusCode(413);
    }

    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return out.toByteArray();
    }
}
