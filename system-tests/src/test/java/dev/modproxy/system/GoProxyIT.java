package dev.modproxy.system;

import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.testing.DebianGoSources;
import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GOPROXY endpoint as a team uses it: two gateways and two fetchers, as separate processes
 * sharing one storage, in front of a real upstream proxy serving real modules (Debian's Go
 * sources), with the real {@code go} command as the judge.
 */
class GoProxyIT {

    private static final Instant TIME = Instant.parse("2023-05-06T07:08:09Z");

    private static Path dir;
    private static GoProxyTree tree;
    private static UpstreamServer upstream;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static ServiceProcess gateway1;
    private static ServiceProcess gateway2;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "goproxy-it");
        tree = new GoProxyTree(dir.resolve("upstream"));
        publishDebianSources();
        upstream = new UpstreamServer(tree.root());

        Path storage = dir.resolve("storage");
        // Every stored version is recorded in modproxy's checksum database; the test upstream's
        // modules are in no upstream checksum database, so that check is off here (SumdbIT has it).
        ServiceProcess sumdb = ServiceProcess.start("sumdb-service", "sumdb", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        List<String> fetchers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            ServiceProcess f = ServiceProcess.start("fetcher-service", "fetcher" + i, dir.resolve("logs"), Map.of(
                    "MODPROXY_SUMDB_ENDPOINT", sumdb.url(),
                    "MODPROXY_SUMDB_UPSTREAM", "off",
                    "MODPROXY_UPSTREAM", upstream.url(),
                    "MODPROXY_DATA_DIR", dir.resolve("fetcher" + i).toString(),
                    "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
            services.add(f);
            fetchers.add(f.url());
        }
        for (int i = 1; i <= 2; i++) {
            services.add(ServiceProcess.start("proxy-gateway", "gateway" + i, dir.resolve("logs"), Map.of(
                    "MODPROXY_FETCHER_ENDPOINTS", String.join(",", fetchers),
                    "MODPROXY_DATA_DIR", dir.resolve("gateway" + i).toString(),
                    "MODPROXY_STORAGE_FS_ROOT", storage.toString())));
        }
        gateway1 = services.get(2);
        gateway2 = services.get(3);
        services.add(sumdb);
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (upstream != null) {
            upstream.close();
        }
    }

    /**
     * Each Debian source at its packaged version and at every version another one requires; any
     * other required module as a stub (a go.mod and an empty package), since loading the module graph reads
     * the go.mod of every requirement even when none of its packages is built.
     */
    private static void publishDebianSources() throws Exception {
        List<DebianGoSources.Source> sources = DebianGoSources.all();
        Set<String> done = new HashSet<>();
        for (DebianGoSources.Source s : sources) {
            tree.addDir(s.modulePath(), s.version(), TIME, s.dir());
            done.add(s.modulePath() + "@" + s.version());
        }
        for (DebianGoSources.Source s : sources) {
            Path goMod = s.dir().resolve("go.mod");
            if (!Files.exists(goMod)) {
                continue;
            }
            for (GoMod.Require r : GoMod.parseLax("go.mod", Files.readAllBytes(goMod)).requires()) {
                if (!done.add(r.path() + "@" + r.version())) {
                    continue;
                }
                var dep = sources.stream().filter(d -> d.modulePath().equals(r.path())).findFirst();
                if (dep.isPresent()) {
                    tree.addDir(r.path(), r.version(), TIME, dep.get().dir());
                } else {
                    // A package too: go mod tidy resolves the imports of dependencies' tests.
                    tree.add(r.path(), r.version(), TIME, Map.of(
                            "go.mod", ("module " + r.path() + "\n").getBytes(StandardCharsets.UTF_8),
                            "stub.go", "package stub\n".getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    @Test
    void everyModuleDownloadsWithTheSameSumsAsStraightFromTheUpstream() throws Exception {
        GoCommand viaModproxy = new GoCommand(dir.resolve("go-via-modproxy"), gateway1.url());
        GoCommand viaUpstream = new GoCommand(dir.resolve("go-via-upstream"), upstream.url());
        Path work = Files.createDirectories(dir.resolve("work-download"));
        for (GoProxyTree.Published p : tree.published()) {
            String target = p.mv().toString();
            String ours = viaModproxy.run(work, "mod", "download", "-json", target).ok().stdout();
            String theirs = viaUpstream.run(work, "mod", "download", "-json", target).ok().stdout();
            assertEquals(field(theirs, "Sum"), field(ours, "Sum"), target);
            assertEquals(field(theirs, "GoModSum"), field(ours, "GoModSum"), target);
            assertEquals(p.zipHash(), field(ours, "Sum"), target);
        }
    }

    @Test
    void tidyAndBuildAProgramThatImportsSeveralModules() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-build"));
        Files.writeString(work.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n");
        Files.writeString(work.resolve("main.go"), """
                package main

                import (
                	"fmt"

                	"github.com/BurntSushi/toml"
                	"github.com/google/go-cmp/cmp"
                	"github.com/google/uuid"
                	"github.com/pkg/errors"
                	"github.com/stretchr/testify/assert"
                )

                func main() {
                	var v struct{ Name string }
                	_, err := toml.Decode(`Name = "modproxy"`, &v)
                	fmt.Println(v.Name, err, cmp.Equal(1, 1), uuid.Nil, errors.New("x"), assert.ObjectsAreEqual(1, 1))
                }
                """);
        GoCommand go = new GoCommand(dir.resolve("go-build"), gateway2.url());
        go.run(work, "mod", "tidy").ok();
        go.run(work, "build", "-o", "app", ".").ok();
        assertTrue(Files.isExecutable(work.resolve("app")));
        String sum = Files.readString(work.resolve("go.sum"));
        assertTrue(sum.contains("github.com/BurntSushi/toml"), sum);
    }

    @Test
    void goListVersionsMatchesTheUpstream() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work-list"));
        for (String module : List.of("github.com/stretchr/testify", "gopkg.in/yaml.v3", "github.com/BurntSushi/toml")) {
            String ours = new GoCommand(dir.resolve("go-list-ours"), gateway1.url())
                    .run(work, "list", "-m", "-versions", module).ok().stdout();
            String theirs = new GoCommand(dir.resolve("go-list-theirs"), upstream.url())
                    .run(work, "list", "-m", "-versions", module).ok().stdout();
            assertEquals(theirs, ours, module);
        }
    }

    @Test
    void fiftyConcurrentColdRequestsThroughTwoGatewaysMakeOneUpstreamDownload() throws Exception {
        GoProxyTree.Published p = tree.add("example.com/herd", "v1.0.0", TIME, Map.of(
                "go.mod", "module example.com/herd\n".getBytes(StandardCharsets.UTF_8),
                "herd.go", ("package herd\n\nvar Data = \"" + "x".repeat(200_000) + "\"\n").getBytes(StandardCharsets.UTF_8)));
        byte[] expected = Files.readAllBytes(tree.root().resolve("example.com/herd/@v/v1.0.0.zip"));
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Callable<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String base = (i % 2 == 0 ? gateway1 : gateway2).url();
                calls.add(() -> {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/example.com/herd/@v/v1.0.0.zip")).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                    return r.body();
                });
            }
            for (Future<byte[]> f : pool.invokeAll(calls)) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, upstream.hits("/example.com/herd/@v/v1.0.0.zip"), "upstream zip downloads");
        assertEquals(p.mv().toString(), "example.com/herd@v1.0.0");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
