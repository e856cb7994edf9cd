package dev.modproxy.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard and the alerts query only metrics the services serve: deploy/dashboards/metrics.txt
 * lists them, this test finds every metric name in every query, and checks each listed one against
 * the /q/metrics of a running service (the packaged sumdb-service, started as a process). Also:
 * the copies of shared files kept where kustomize and Helm can read them are the same.
 */
class ObservabilityTest {

    /** Metric names that are not served by the services: Prometheus' own, and the probe's (pushed). */
    private static final Pattern NOT_FROM_SERVICES = Pattern.compile("up|modproxy_probe_[a-z_]+");

    private static final Set<String> PROMQL_WORDS = Set.of("sum", "by", "rate", "irate", "max", "min", "avg", "count",
            "time", "on", "ignoring", "without", "and", "or", "unless", "bool", "increase", "histogram_quantile",
            "group_left", "group_right", "offset", "abs", "clamp_min", "clamp_max", "topk", "bottomk");

    /** The lines of metrics.txt: a metric name, then optionally the one service that serves it. */
    private static List<String[]> entries() throws IOException {
        return Files.readAllLines(Repo.path("deploy/dashboards/metrics.txt")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")).toList();
    }

    static List<String> listed() throws IOException {
        return entries().stream().map(e -> e[0]).toList();
    }

    /** Where the @QuarkusTest that asserts a service's own series lives. */
    private static final Map<String, String> SERVICE_METRICS_TESTS = Map.of(
            "gateway", "proxy-gateway/src/test/java/dev/modproxy/gateway/rest/RequestMetricsTest.java",
            "fetcher", "fetcher-service/src/test/java/dev/modproxy/fetcher/service/FetchMetricsTest.java");

    /** Series that appear only with one service's traffic are asserted by that service's own test. */
    @Test
    void serviceSpecificMetricsAreAssertedByTheirServicesTests() throws IOException {
        for (String[] e : entries()) {
            if (e.length > 1) {
                String test = SERVICE_METRICS_TESTS.get(e[1]);
                assertTrue(test != null, "unknown service " + e[1] + " for " + e[0]);
                String base = e[0].replaceAll("_(count|sum|max)$", "_count");
                assertTrue(Files.readString(Repo.path(test)).contains(base),
                        test + " does not assert " + base + " (for " + e[0] + ")");
            }
        }
    }

    /** The metric names in a PromQL expression: identifiers outside {...}, [...], "..." and by (...), not functions. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(e);
        while (m.find()) {
            String word = m.group(1);
            boolean call = m.group(2) != null;
            if (!call && !PROMQL_WORDS.contains(word) && !word.matches("[0-9.eE]+")) {
                out.add(word);
            }
        }
        return out;
    }

    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode d = new ObjectMapper().readTree(Repo.path("deploy/dashboards/modproxy.json").toFile());
        Set<String> names = new TreeSet<>();
        assertTrue(d.get("panels").size() >= 10, "panels");
        for (JsonNode p : d.get("panels")) {
            assertTrue(p.hasNonNull("title") && p.hasNonNull("gridPos"), p.toString());
            assertFalse(p.get("targets").isEmpty(), p.get("title").asText() + " has no query");
            for (JsonNode t : p.get("targets")) {
                names.addAll(metricNames(t.get("expr").asText()));
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> alertMetrics() throws IOException {
        Map<String, Object> rule = new KubernetesSerialization().unmarshal(
                Files.readString(Repo.path("deploy/kustomize/components/monitoring/prometheusrule.yaml")), Map.class);
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) ((Map<String, Object>) rule.get("spec")).get("groups")) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                names.addAll(metricNames((String) r.get("expr")));
            }
        }
        return names;
    }

    @Test
    void promqlMetricNames() {
        assertEquals(Set.of("http_server_requests_seconds_count"),
                metricNames("sum by (service, status) (rate(http_server_requests_seconds_count{service=~\"a|b\",status=~\"5..\"}[5m])) > 0.05"));
        assertEquals(Set.of("modproxy_probe_last_run_timestamp_seconds"), metricNames("time() - modproxy_probe_last_run_timestamp_seconds > 3600"));
    }

    @Test
    void dashboardAndAlertsQueryOnlyListedMetrics() throws IOException {
        List<String> listed = listed();
        Set<String> dashboard = dashboardMetrics();
        assertEquals(new TreeSet<>(listed), dashboard.stream().filter(n -> !NOT_FROM_SERVICES.matcher(n).matches())
                .collect(Collectors.toCollection(TreeSet::new)), "metrics.txt lists exactly what the dashboard queries");
        Set<String> alerts = alertMetrics();
        assertTrue(alerts.contains("up") && alerts.contains("modproxy_probe_success"), alerts.toString());
        for (String n : alerts) {
            assertTrue(listed.contains(n) || NOT_FROM_SERVICES.matcher(n).matches(), "alert metric " + n + " is not in metrics.txt");
        }
    }

    @Test
    void everyListedMetricIsServedByARunningService(@TempDir Path dir) throws Exception {
        Path jar = Repo.path("sumdb-service/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(jar), jar + " is missing: mvn verify from the root packages it before this module");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("sumdb.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("MODPROXY_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("MODPROXY_SUMDB_UPSTREAM", "off");
        // the prod setting: JSON logs must not break start-up
        pb.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        Process p = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (status(base + "/q/health/ready") != 200) {
                assertTrue(p.isAlive(), "sumdb-service exited:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "not ready in 60 s:\n" + Files.readString(log));
                Thread.sleep(200);
            }
            status(base + "/no-such-route"); // http_server_* series appear with the first request served
            String metrics = get(base + "/q/metrics");
            Set<String> served = metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toSet());
            List<String> missing = new ArrayList<>();
            for (String[] e : entries()) {
                String n = e[0];
                if (e.length == 1 && !served.contains(n)) {
                    missing.add(n);
                }
            }
            assertTrue(missing.isEmpty(), "not in /q/metrics: " + missing + "\nserved: " + new TreeSet<>(served));
            String firstLogLine = Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).findFirst().orElse("");
            JsonNode json = new ObjectMapper().readTree(firstLogLine.isEmpty() ? "{}" : firstLogLine);
            assertTrue(json.has("message") && json.has("level"), "JSON log lines when enabled:\n" + Files.readString(log));
        } finally {
            p.destroy();
            if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int status(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(5000);
            return c.getResponseCode();
        } catch (IOException notYet) {
            return -1;
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setReadTimeout(5000);
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** kustomize and Helm read files only inside their own directories: the copies must not drift. */
    @Test
    void sharedFilesAreTheSameEverywhere() throws IOException {
        assertSame("deploy/probe/modproxy-probe.sh", "deploy/kustomize/components/probe/modproxy-probe.sh");
        assertSame("deploy/probe/modproxy-probe.sh", "deploy/helm/modproxy/files/modproxy-probe.sh");
        assertSame("deploy/dashboards/modproxy.json", "deploy/helm/modproxy/files/modproxy-dashboard.json");
        assertSame("deploy/kustomize/components/monitoring/prometheusrule.yaml", "deploy/helm/modproxy/files/prometheusrule.yaml");
    }

    private static void assertSame(String a, String b) throws IOException {
        assertEquals(Files.readString(Repo.path(a)), Files.readString(Repo.path(b)), b + " must be a copy of " + a);
    }
}
