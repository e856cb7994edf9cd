package dev.modproxy.system;

import dev.modproxy.testing.GoCommand;
import dev.modproxy.testing.GoProxyTree;
import dev.modproxy.testing.UpstreamServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query form the {@code go} command (go 1.19.8, /usr/bin/go) resolves through a proxy,
 * answered as go answers it without modproxy: {@code go list -m -json mod@Q} for
 * {@code Q} = a v2+ version without {@code +incompatible} on a path without {@code /vN}, that
 * version with it, a branch, commit prefixes, {@code vX} and {@code vX.Y} prefixes,
 * {@code latest}, {@code upgrade} and {@code patch} (inside a module that requires v1.0.0).
 *
 * <ul>
 *   <li>Direct: a real git repository over HTTP (127.0.0.7:80), a {@code modproxy.private}
 *       module; the judge is {@code GOPROXY=direct}.</li>
 *   <li>Upstream: a local GOPROXY tree behind {@link UpstreamServer}; the judge is
 *       {@code GOPROXY=file://<tree>}, except that {@code @v2.0.0} on a +incompatible module is
 *       answered as proxy.golang.org answers it (its {@code .info} is the
 *       {@code +incompatible} version, which go 1.19's proxyRepo.Stat accepts because
 *       module.Check rejects v2.0.0 for that path), where the file tree has no such file.</li>
 * </ul>
 * Path, Version and Time must agree, or both commands must fail; for the direct module the
 * {@code Origin} go 1.19 prints must agree too (VCS, URL, Subdir, TagPrefix/TagSum, Ref, Hash).
 */
class GoQueriesIT {

    private static final String HOST = "127.0.0.7";
    private static final Instant TIME = Instant.parse("2024-01-02T03:04:05Z");

    /** An upstream .info with the Origin proxy.golang.org adds (go 1.19 codehost.Origin fields). */
    private static final String ORIGIN_INFO = "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-02T03:04:05Z\","
            + "\"Origin\":{\"VCS\":\"git\",\"URL\":\"https://example.com/origin\",\"Ref\":\"refs/tags/v1.0.0\","
            + "\"Hash\":\"0123456789abcdef0123456789abcdef01234567\"}}\n";

    private static Path dir;
    private static GitCorpus corpus;
    private static GoProxyTree tree;
    private static UpstreamServer upstream;
    private static final List<ServiceProcess> services = new ArrayList<>();
    private static String proxyUrl;
    private static final List<String[]> gitQueries = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "go-queries-it");
        corpus = new GitCorpus(dir.resolve("git"), HOST, Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)));
        buildCorpus();
        tree = new GoProxyTree(dir.resolve("tree"));
        for (String v : List.of("v1.0.0", "v1.2.0", "v1.2.3", "v1.3.0-rc.1", "v2.0.0+incompatible", "v2.1.0+incompatible")) {
            tree.add("example.com/legacy", v, TIME.plusSeconds(v.hashCode() & 0xffff), Map.of(
                    "l.go", "package legacy\n".getBytes(StandardCharsets.UTF_8)));
        }
        for (String v : List.of("v1.0.0", "v1.0.1")) {
            tree.add("example.com/modv2", v, TIME, Map.of(
                    "go.mod", "module example.com/modv2\n".getBytes(StandardCharsets.UTF_8),
                    "m.go", "package modv2\n".getBytes(StandardCharsets.UTF_8)));
        }
        tree.add("example.com/origin", "v1.0.0", TIME, Map.of("o.go", "package origin\n".getBytes(StandardCharsets.UTF_8)));
        tree.writeRaw("example.com/origin/@v/v1.0.0.info", ORIGIN_INFO.getBytes(StandardCharsets.UTF_8));
        upstream = new UpstreamServer(tree.root());
        Path storage = dir.resolve("storage");
        ServiceProcess sumdb = ServiceProcess.start("sumdb-service", "sumdb", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        services.add(sumdb);
        ServiceProcess fetcher = ServiceProcess.start("fetcher-service", "fetcher", dir.resolve("logs"), Map.ofEntries(
                Map.entry("MODPROXY_SUMDB_ENDPOINT", sumdb.url()),
                Map.entry("MODPROXY_SUMDB_UPSTREAM", "off"),
                Map.entry("MODPROXY_UPSTREAM", upstream.url()),
                Map.entry("MODPROXY_PRIVATE", HOST),
                Map.entry("MODPROXY_INSECURE", HOST),
                Map.entry("MODPROXY_VCS_ALLOW_LOOPBACK", "true"),
                Map.entry("MODPROXY_DATA_DIR", dir.resolve("fetcher").toString()),
                Map.entry("MODPROXY_STORAGE_FS_ROOT", storage.toString())));
        services.add(fetcher);
        ServiceProcess gateway = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", fetcher.url(),
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        services.add(gateway);
        proxyUrl = gateway.url();
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::close);
        if (upstream != null) {
            upstream.close();
        }
        if (corpus != null) {
            corpus.close();
        }
    }

    private static void q(String module, String... qs) {
        for (String query : qs) {
            gitQueries.add(new String[] {module, query});
        }
    }

    private static void buildCorpus() throws Exception {
        // No go.mod anywhere: v2+ tags are +incompatible.
        GitCorpus.Repo legacy = corpus.repo("team/legacy");
        legacy.write("l.go", "package legacy\n").commit("one");
        legacy.tag("v1.0.0");
        legacy.write("l.go", "package legacy\n\n// 1.2.0\n").commit("1.2.0");
        legacy.tag("v1.2.0");
        legacy.write("l.go", "package legacy\n\n// 1.2.3\n").commit("1.2.3");
        legacy.tag("v1.2.3");
        legacy.write("l.go", "package legacy\n\n// two\n").commit("two");
        legacy.tag("v2.0.0");
        legacy.git("checkout", "-q", "-b", "feature", "v1.2.0");
        String feature = legacy.write("f.go", "package legacy\n").commit("feature");
        legacy.git("checkout", "-q", "main");
        String after = legacy.write("l.go", "package legacy\n\n// after\n").commit("after v2");
        legacy.publish();
        q(legacy.module(), "v2.0.0", "v2.0.0+incompatible", "v1.2.3", "feature", "main", feature.substring(0, 12),
                after.substring(0, 7), feature, "v1.2", "v1", "v2", "latest", "upgrade", "patch", "v1.9", "nosuch");

        // go.mod at v2.0.0 says module .../v2 at the repository root: v2.0.0 is not a version of
        // the path without /v2 (go: "module contains a go.mod file, so module path must match
        // major version").
        GitCorpus.Repo modv2 = corpus.repo("team/modv2");
        modv2.write("go.mod", "module " + HOST + "/team/modv2.git\n").write("m.go", "package m\n").commit("v1");
        modv2.tag("v1.0.0");
        modv2.write("go.mod", "module " + HOST + "/team/modv2.git/v2\n").commit("v2");
        modv2.tag("v2.0.0");
        modv2.publish();
        q(modv2.module(), "v2.0.0", "v2.0.0+incompatible", "v1.0", "latest", "upgrade", "main");
    }

    @Test
    void everyQueryFormOfADirectModuleMatchesGoDirect() throws Exception {
        GoCommand direct = goIn("git-direct", "direct").env("GOINSECURE", HOST).env("GOPRIVATE", HOST);
        GoCommand ours = goIn("git-modproxy", proxyUrl).env("GONOSUMDB", HOST);
        List<String> failures = new ArrayList<>();
        compareOrigin = true;
        try {
            for (String[] mq : gitQueries) {
                compare(direct, ours, mq[0], mq[1], mq[1], failures);
            }
        } finally {
            compareOrigin = false;
        }
        assertTrue(failures.isEmpty(), gitQueries.size() + " queries; differences:\n" + String.join("\n", failures));
    }

    @Test
    void everyQueryFormOfAProxiedModuleMatchesGoOnTheUpstreamTree() throws Exception {
        GoCommand file = goIn("tree-direct", "file://" + tree.root());
        GoCommand ours = goIn("tree-modproxy", proxyUrl);
        List<String> failures = new ArrayList<>();
        String[][] cases = {
                {"example.com/legacy", "v2.0.0", "v2.0.0+incompatible"},
                {"example.com/legacy", "v2.0.0+incompatible", "v2.0.0+incompatible"},
                {"example.com/legacy", "v1.2.3", "v1.2.3"},
                {"example.com/legacy", "v1.2", "v1.2"},
                {"example.com/legacy", "v1", "v1"},
                {"example.com/legacy", "v2", "v2"},
                {"example.com/legacy", "latest", "latest"},
                {"example.com/legacy", "upgrade", "upgrade"},
                {"example.com/legacy", "patch", "patch"},
                {"example.com/legacy", "v1.9", "v1.9"},
                {"example.com/modv2", "v2.0.0", "v2.0.0"},
                {"example.com/modv2", "v1.0", "v1.0"},
                {"example.com/modv2", "latest", "latest"},
                {"example.com/nosuch", "latest", "latest"},
        };
        for (String[] c : cases) {
            compare(file, ours, c[0], c[1], c[2], failures);
        }
        assertTrue(failures.isEmpty(), cases.length + " queries; differences:\n" + String.join("\n", failures));
    }

    @Test
    void anUpstreamsOriginIsPassedThroughUnchanged() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) { // fetched, then from storage
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(proxyUrl
                    + "/example.com/origin/@v/v1.0.0.info")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), r.body());
            org.junit.jupiter.api.Assertions.assertEquals(ORIGIN_INFO, r.body());
        }
    }

    private GoCommand goIn(String name, String goproxy) throws Exception {
        // -mod=mod: upgrade and patch are relative to the requirement in the work module.
        return new GoCommand(dir.resolve(name), goproxy).env("GOFLAGS", "-modcacherw -mod=mod");
    }

    /**
     * {@code go list -m -json module@ours} through modproxy against {@code module@theirs} through
     * the judge, each in a fresh work module that requires {@code module v1.0.0} (for
     * {@code upgrade} and {@code patch}).
     */
    private static void compare(GoCommand judge, GoCommand ours, String module, String oursQuery, String theirsQuery,
            List<String> failures) throws Exception {
        GoCommand.Result theirs = judge.run(work(judge, module), "list", "-m", "-json", module + "@" + theirsQuery);
        GoCommand.Result mine = ours.run(work(ours, module), "list", "-m", "-json", module + "@" + oursQuery);
        String target = module + "@" + oursQuery;
        if (theirs.exitCode() != 0 || mine.exitCode() != 0) {
            if ((theirs.exitCode() == 0) != (mine.exitCode() == 0)) {
                failures.add(target + ": judge exit " + theirs.exitCode() + " " + theirs.stderr().strip() + theirs.stdout().strip()
                        + " / modproxy exit " + mine.exitCode() + " " + mine.stderr().strip() + mine.stdout().strip());
            }
            return;
        }
        for (String f : List.of("Path", "Version", "Time")) {
            String a = field(theirs.stdout(), f);
            String b = field(mine.stdout(), f);
            if (!a.equals(b)) {
                failures.add(target + ": " + f + " judge=" + a + " modproxy=" + b);
            }
        }
        Map<String, String> judgeOrigin = origin(theirs.stdout());
        if (LIST_RESOLVED.contains(oursQuery)) {
            // go 1.19 queryProxy resolves these itself from @v/list and a Stat of the version
            // found; a proxy's list carries no Origin, and mergeOrigin(stat, nil) keeps the
            // Stat's, so through any GOPROXY the tags' TagPrefix/TagSum cannot appear.
            judgeOrigin.remove("TagPrefix");
            judgeOrigin.remove("TagSum");
        }
        if (compareOrigin && !judgeOrigin.equals(origin(mine.stdout()))) {
            failures.add(target + ": Origin judge=" + origin(theirs.stdout()) + " modproxy=" + origin(mine.stdout()));
        }
    }

    private static boolean compareOrigin;

    /** Query forms go resolves from the version list through a proxy (see compare). */
    private static final java.util.Set<String> LIST_RESOLVED = java.util.Set.of("latest", "upgrade", "patch", "v1", "v2", "v1.2",
            "v1.0", "v1.9");

    /** The Origin object's fields, as go list -m -json prints them (go 1.19: VCS, URL, Subdir, TagPrefix, TagSum, Ref, Hash). */
    private static Map<String, String> origin(String json) {
        Map<String, String> fields = new java.util.TreeMap<>();
        Matcher block = Pattern.compile("\"Origin\":\\s*\\{([^}]*)\\}").matcher(json);
        if (block.find()) {
            Matcher f = Pattern.compile("\"(\\w+)\":\\s*\"([^\"]*)\"").matcher(block.group(1));
            while (f.find()) {
                fields.put(f.group(1), f.group(2));
            }
        }
        return fields;
    }

    private static int works;

    private static Path work(GoCommand go, String module) throws Exception {
        Path w = Files.createDirectories(go.home().resolve("work" + (++works)));
        // Inside a module that requires v1.0.0 when the module has one, so upgrade/patch mean
        // something; the module graph then needs that go.mod (and -mod=mod its sum).
        boolean hasV1 = !module.endsWith("/nosuch");
        Files.writeString(w.resolve("go.mod"), "module example.com/work\n\ngo 1.19\n"
                + (hasV1 ? "\nrequire " + module + " v1.0.0\n" : ""));
        return w;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "<none>";
    }
}
