package dev.modproxy.system;

import com.sun.net.httpserver.HttpServer;
import dev.modproxy.testing.GoCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Private modules straight from git, judged by the {@code go} command in direct mode: a corpus
 * of real git repositories served over plain HTTP on 127.0.0.2:80, and for every query both
 * {@code GOPROXY=direct} and {@code GOPROXY=<modproxy>} must report the same Version, Time, Sum
 * and GoModSum (or both fail), and {@code go list -m -versions} must agree.
 *
 * <p>modproxy runs as its packaged processes: one gateway (GOPROXY for go) in front of one
 * fetcher, sharing filesystem storage; the fetcher's upstream list is {@code off}, so every
 * answer comes from git.
 */
class DirectGitIT {

    private static final String HOST = "127.0.0.2";
    private static final String USER = "deploy";
    private static final String TOKEN = "s3cret-token";

    private static Path dir;
    private static GitCorpus corpus;
    private static ServiceProcess fetcher;
    private static ServiceProcess sumdb;
    private static ServiceProcess gateway;
    private static HttpServer hanging;
    private static String proxyUrl;
    private static final Map<String, List<String>> queries = new LinkedHashMap<>();
    private static GitCorpus.Repo tagged;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "direct-git-it");
        corpus = new GitCorpus(dir.resolve("git"), HOST, Base64.getEncoder().encodeToString((USER + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
        buildCorpus();
        Path netrc = dir.resolve("netrc");
        Files.writeString(netrc, "machine " + HOST + " login " + USER + " password " + TOKEN + "\n");
        hanging = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.4"), 80), 10);
        hanging.createContext("/", ex -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        hanging.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        hanging.start();
        Path storage = dir.resolve("storage");
        // Every version stored is recorded in modproxy's checksum database (nothing upstream to verify against here).
        sumdb = ServiceProcess.start("sumdb-service", "sumdb", dir.resolve("logs"), Map.of(
                "MODPROXY_SUMDB_UPSTREAM", "off",
                "MODPROXY_DATA_DIR", dir.resolve("sumdb").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        fetcher = ServiceProcess.start("fetcher-service", "fetcher", dir.resolve("logs"), Map.ofEntries(
                Map.entry("MODPROXY_SUMDB_ENDPOINT", sumdb.url()),
                Map.entry("MODPROXY_SUMDB_UPSTREAM", "off"),
                Map.entry("MODPROXY_UPSTREAM", "off"),
                Map.entry("MODPROXY_PRIVATE", "127.0.0.2,127.0.0.3,127.0.0.4,*.invalid"),
                Map.entry("MODPROXY_INSECURE", "127.0.0.2,127.0.0.3,127.0.0.4"),
                Map.entry("MODPROXY_VCS_ALLOW_LOOPBACK", "true"),
                Map.entry("MODPROXY_VCS_NETRC", netrc.toString()),
                Map.entry("MODPROXY_VCS_TIMEOUT", "5s"),
                Map.entry("MODPROXY_FETCH_LIST_TTL", "1s"),
                Map.entry("MODPROXY_DATA_DIR", dir.resolve("fetcher").toString()),
                Map.entry("MODPROXY_STORAGE_FS_ROOT", storage.toString())));
        gateway = ServiceProcess.start("proxy-gateway", "gateway", dir.resolve("logs"), Map.of(
                "MODPROXY_FETCHER_ENDPOINTS", fetcher.url(),
                "MODPROXY_GATEWAY_LIST_TTL", "1s",
                "MODPROXY_DATA_DIR", dir.resolve("gateway").toString(),
                "MODPROXY_STORAGE_FS_ROOT", storage.toString()));
        proxyUrl = gateway.url();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sumdb != null) {
            sumdb.close();
        }
        if (fetcher != null) {
            fetcher.close();
        }
        if (corpus != null) {
            corpus.close();
        }
        if (hanging != null) {
            hanging.stop(0);
        }
    }

    private static void q(String module, String... qs) {
        queries.computeIfAbsent(module, k -> new ArrayList<>()).addAll(List.of(qs));
    }

    private static void buildCorpus() throws Exception {
        // Tagged releases, a pre-release, an annotated tag, commits after the last tag, a branch,
        // a vendor directory, a nested module that must stay out of the zip.
        tagged = corpus.repo("team/lib");
        tagged.write("go.mod", "module " + HOST + "/team/lib.git\n\ngo 1.19\n")
                .write("LICENSE", "MIT License\n")
                .write("lib.go", "package lib\n\nconst V = 0\n")
                .write("vendor/modules.txt", "# example.com/dep v1.0.0\n")
                .write("vendor/example.com/dep/dep.go", "package dep\n")
                .write("nested/go.mod", "module " + HOST + "/team/lib.git/nested\n")
                .write("nested/n.go", "package nested\n");
        String c1 = tagged.commit("one");
        tagged.tag("v1.0.0");
        tagged.write("lib.go", "package lib\n\nconst V = 1\n").commit("two");
        tagged.annotatedTag("v1.1.0");
        tagged.write("lib.go", "package lib\n\nconst V = 2\n").commit("three");
        tagged.tag("v1.2.0-rc.1");
        String c4 = tagged.write("lib.go", "package lib\n\nconst V = 3\n").commit("four");
        tagged.tag("v1.2.0");
        tagged.git("checkout", "-q", "-b", "feature", "v1.1.0");
        String feature = tagged.write("feature.go", "package lib\n").commit("feature work");
        tagged.git("checkout", "-q", "main");
        String after = tagged.write("lib.go", "package lib\n\nconst V = 4\n").commit("after the tag");
        tagged.publish();
        String m = tagged.module();
        q(m, "v1.0.0", "v1.1.0", "v1.2.0-rc.1", "v1.2.0", "latest", "main", "feature", "v1", "v1.1", "v1.2",
                c1, c1.substring(0, 12), c4.substring(0, 7), feature, feature.substring(0, 12), after.substring(0, 10),
                "v1.3", "nosuchbranch");

        // No tags at all.
        GitCorpus.Repo notags = corpus.repo("team/notags");
        notags.write("go.mod", "module " + HOST + "/team/notags.git\n").write("a.go", "package a\n").commit("a");
        String nt2 = notags.write("b.go", "package a\n").commit("b");
        notags.publish();
        q(notags.module(), "latest", "main", nt2.substring(0, 12));

        // A subdirectory module with prefixed tags and a LICENSE only at the root; a /v2 major
        // subdirectory next to the root module.
        GitCorpus.Repo mono = corpus.repo("team/mono");
        mono.write("go.mod", "module " + HOST + "/team/mono.git\n")
                .write("LICENSE", "Apache License\n")
                .write("root.go", "package mono\n")
                .write("sub/go.mod", "module " + HOST + "/team/mono.git/sub\n")
                .write("sub/sub.go", "package sub\n")
                .commit("initial");
        mono.tag("v1.0.0").tag("sub/v0.1.0");
        mono.write("sub/sub.go", "package sub\n\n// more\n")
                .write("v2/go.mod", "module " + HOST + "/team/mono.git/v2\n")
                .write("v2/v2.go", "package mono\n")
                .commit("sub and v2");
        mono.tag("sub/v0.2.0").tag("v2.0.0");
        mono.write("sub/extra.go", "package sub\n").commit("untagged sub work");
        mono.publish();
        q(mono.module(), "latest", "v1.0.0");
        q(mono.module() + "/sub", "latest", "sub/v0.1.0".substring(4), "v0.2.0", "main", "v0.1");
        q(mono.module() + "/v2", "latest", "v2.0.0", "main");

        // A /v2 module on a major branch: go.mod says /v2 at the repository root.
        GitCorpus.Repo branch = corpus.repo("team/major");
        branch.write("go.mod", "module " + HOST + "/team/major.git\n").write("m.go", "package major\n").commit("v1");
        branch.tag("v1.0.0");
        branch.write("go.mod", "module " + HOST + "/team/major.git/v2\n").commit("v2");
        branch.tag("v2.0.0");
        branch.write("m.go", "package major\n\n// v2.1\n").commit("v2.1");
        branch.tag("v2.1.0");
        branch.write("m.go", "package major\n\n// after\n").commit("after v2.1");
        branch.publish();
        q(branch.module(), "latest", "v1.0.0", "v2.0.0");
        q(branch.module() + "/v2", "latest", "v2.0.0", "v2.1.0", "main", "v2.1");

        // v2+ tags without go.mod: +incompatible.
        GitCorpus.Repo legacy = corpus.repo("team/legacy");
        legacy.write("l.go", "package legacy\n").commit("one");
        legacy.tag("v1.0.0");
        legacy.write("l.go", "package legacy\n\n// two\n").commit("two");
        legacy.tag("v2.0.0");
        legacy.write("l.go", "package legacy\n\n// three\n").commit("three");
        legacy.tag("v3.1.0");
        legacy.write("l.go", "package legacy\n\n// four\n").commit("four");
        legacy.publish();
        q(legacy.module(), "latest", "v1.0.0", "v2.0.0+incompatible", "v3.1.0+incompatible", "main", "v3");

        // File names the module zip rules reject: go (and modproxy) refuse the zip.
        GitCorpus.Repo bad = corpus.repo("team/badnames");
        bad.write("go.mod", "module " + HOST + "/team/badnames.git\n").write("ok.go", "package bad\n")
                .write("bad:name.go", "package bad\n").commit("bad names");
        bad.tag("v1.0.0");
        bad.publish();
        q(bad.module(), "v1.0.0");

        // A repository that needs credentials (served below private/).
        GitCorpus.Repo secret = corpus.repo("private/secret");
        secret.write("go.mod", "module " + HOST + "/private/secret.git\n").write("s.go", "package secret\n").commit("s");
        secret.tag("v0.1.0");
        secret.publish();
    }

    @Test
    void everyQueryMatchesGoInDirectMode() throws Exception {
        GoCommand direct = new GoCommand(dir.resolve("go-direct"), "direct").env("GOINSECURE", HOST)
                .env("GOPRIVATE", HOST);
        GoCommand ours = new GoCommand(dir.resolve("go-modproxy"), proxyUrl).env("GONOSUMDB", HOST);
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> failures = new ArrayList<>();
        int compared = 0;
        for (var e : queries.entrySet()) {
            for (String query : e.getValue()) {
                String target = e.getKey() + "@" + query;
                GoCommand.Result theirs = direct.run(work, "mod", "download", "-json", target);
                GoCommand.Result mine = ours.run(work, "mod", "download", "-json", target);
                compared++;
                if (theirs.exitCode() != 0 || mine.exitCode() != 0) {
                    if ((theirs.exitCode() == 0) != (mine.exitCode() == 0)) {
                        failures.add(target + ": go direct exit " + theirs.exitCode() + " " + field(theirs.stdout(), "Error")
                                + " / modproxy exit " + mine.exitCode() + " " + field(mine.stdout(), "Error"));
                    }
                    continue;
                }
                for (String f : List.of("Version", "Time", "Sum", "GoModSum")) {
                    String a = field(theirs.stdout(), f);
                    String b = field(mine.stdout(), f);
                    if (!a.equals(b)) {
                        failures.add(target + ": " + f + " direct=" + a + " modproxy=" + b);
                    }
                }
            }
        }
        for (String module : queries.keySet()) {
            if (module.endsWith("/badnames.git")) {
                // A version whose zip cannot be built is not served at all (its .info is stored
                // only with its zip), so go's retraction check through a proxy fails where direct
                // mode only needs the .info. Both refuse to download it (checked above).
                continue;
            }
            String a = direct.run(work, "list", "-m", "-versions", module).stdout();
            String b = ours.run(work, "list", "-m", "-versions", module).stdout();
            if (!a.equals(b)) {
                failures.add("go list -m -versions " + module + ": direct=" + a.strip() + " modproxy=" + b.strip());
            }
        }
        assertTrue(failures.isEmpty(), compared + " queries; differences:\n" + String.join("\n", failures));
    }

    @Test
    void aNewTagShowsUpInTheListWithinTheTtl() throws Exception {
        GitCorpus.Repo r = corpus.repo("team/fresh");
        r.write("go.mod", "module " + HOST + "/team/fresh.git\n").commit("one");
        r.tag("v0.1.0");
        r.publish();
        String list = r.module() + "/@v/list";
        assertEquals("v0.1.0\n", fetch(list).body());
        r.write("f.go", "package fresh\n").commit("two");
        r.tag("v0.2.0");
        r.publish();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = fetch(list).body();
            if (body.contains("v0.2.0")) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals("v0.1.0\nv0.2.0\n", body);
    }

    @Test
    void credentialsFromTheNetrcFileReachAPrivateRepository() throws Exception {
        HttpResponse<String> r = fetch(HOST + "/private/secret.git/@v/v0.1.0.info");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"Version\":\"v0.1.0\""), r.body());
    }

    @Test
    void failuresAnswerWithAStatusAndAReasonInTime() throws Exception {
        record Case(String path, List<Integer> statuses, String reason) {
        }
        List<Case> cases = List.of(
                new Case(HOST + "/team/missing.git/@v/list", List.of(404, 410), "not found"),
                new Case(HOST + "/private/nosuchrepo.git/@v/list", List.of(404, 410), "not found"),
                new Case(HOST + "/locked/repo.git/@v/list", List.of(404, 410), "authentication failed"),
                new Case("nosuchhost.invalid/x.git/@v/list", List.of(404, 410), "unknown host"),
                new Case("127.0.0.3/team/down.git/@v/list", List.of(502), "unreachable"),
                new Case("127.0.0.4/team/slow.git/@v/list", List.of(502, 504), "in time"),
                new Case(HOST + "/team/lib.hg/@v/list", List.of(404, 410), "unsupported VCS"));
        for (Case c : cases) {
            long start = System.nanoTime();
            HttpResponse<String> r = fetch(c.path());
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(c.statuses().contains(r.statusCode()), c.path() + ": " + r.statusCode() + " " + r.body());
            assertTrue(r.body().contains(c.reason()), c.path() + ": " + r.body());
            assertTrue(seconds < 20, c.path() + " took " + seconds + "s");
        }
    }

    private static HttpResponse<String> fetch(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxyUrl + "/" + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "<none>";
    }
}
