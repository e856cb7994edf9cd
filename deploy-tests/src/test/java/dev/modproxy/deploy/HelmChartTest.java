package dev.modproxy.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Helm chart, rendered with helm-java (the real helm, in-process) and parsed strictly. */
class HelmChartTest {

    /** What an install must name: the sumdb signer key Secret and, authentication being on, the users/tokens Secret. */
    static final Map<String, Object> REQUIRED = Map.of(
            "sumdb.signerKey.existingSecret", "modproxy-sumdb-key",
            "auth.existingSecret", "modproxy-auth");

    private static Map<String, Object> with(Map<String, Object> more) {
        Map<String, Object> v = new LinkedHashMap<>(REQUIRED);
        v.putAll(more);
        return v;
    }

    @Test
    void defaults() throws Exception {
        // values.schema.json validates the defaults (helm checks the values before rendering)
        Manifests m = Manifests.parse(Render.helm(REQUIRED));
        Checks.all(m);
        assertEquals(3, Checks.workload(m, "modproxy-gateway").replicas());
        assertEquals(2, Checks.workload(m, "modproxy-fetcher").replicas());
        assertEquals(2, Checks.workload(m, "modproxy-sumdb").replicas());
        assertEquals(2, Checks.workload(m, "modproxy-audit").replicas());
        assertEquals(4, Checks.workload(m, "modproxy-minio").replicas());
        assertTrue(m.get(StatefulSet.class, "modproxy-minio").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()
                .contains("http://modproxy-minio-{0...3}.modproxy-minio-headless.modproxy.svc.cluster.local/data"),
                "a distributed MinIO over its four pods");
        assertEquals(1, m.custom("Kafka").size());
        assertEquals(1, m.custom("KafkaNodePool").size());
        assertEquals(3, ((Number) ((Map<?, ?>) m.custom("KafkaNodePool").get(0).getAdditionalProperties().get("spec")).get("replicas")).intValue());
        assertTrue(m.find(HorizontalPodAutoscaler.class, "modproxy-gateway").isPresent());

        Map<String, String> env = Checks.env(m, Checks.workload(m, "modproxy-gateway").container());
        assertEquals("https://proxy.golang.org,direct", env.get("MODPROXY_UPSTREAM"));
        assertEquals("sum.golang.org", env.get("MODPROXY_SUMDB_UPSTREAM"));
        assertEquals("sum.modproxy.local", env.get("MODPROXY_SUMDB_NAME"));
        assertEquals("100", env.get("MODPROXY_QOS_PER_CLIENT_RPS"));
        assertFalse(env.containsKey("MODPROXY_PRIVATE"), "empty settings stay unset, so the services' defaults apply");
        assertEquals("s3", env.get("MODPROXY_STORAGE_TYPE"));
        assertEquals("http://modproxy-minio:9000", env.get("MODPROXY_STORAGE_S3_ENDPOINT"));
        assertEquals("modproxy-kafka-kafka-bootstrap:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("true", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
        Secret s3 = m.get(Secret.class, "modproxy-s3");
        assertEquals(32, new String(java.util.Base64.getDecoder().decode(s3.getData().get("MODPROXY_STORAGE_S3_SECRET_KEY"))).length(),
                "a random secret key when none is given");
        assertTrue(m.find(Secret.class, "modproxy-internal-token").isEmpty(),
                "the generated service credential is an install hook, not part of what every upgrade applies");
        assertTrue(m.all(Ingress.class).isEmpty());
        assertTrue(m.all(CronJob.class).isEmpty());
        assertTrue(m.custom("ServiceMonitor").isEmpty());

        var gateway = Checks.workload(m, "modproxy-gateway");
        assertEquals("true", Checks.env(m, gateway.container()).get("MODPROXY_AUTH_ENABLED"), "the admin API is not left open");
        Checks.fileFrom(m, gateway, "MODPROXY_AUTH_USERS_FILE", "/etc/modproxy/auth/users", "modproxy-auth");
        Checks.fileFrom(m, gateway, "MODPROXY_AUTH_TOKENS_FILE", "/etc/modproxy/auth/tokens", "modproxy-auth");
        Checks.fileFrom(m, Checks.workload(m, "modproxy-sumdb"), "MODPROXY_SUMDB_KEY_FILE", "/etc/modproxy/sumdb/signer.key", "modproxy-sumdb-key");
        for (String other : List.of("fetcher", "sumdb", "audit")) {
            assertFalse(Checks.env(m, Checks.workload(m, "modproxy-" + other).container()).containsKey("MODPROXY_AUTH_USERS_FILE"),
                    "only the gateway reads the users: " + other);
        }
    }

    /** The chart refuses an install whose sumdb would generate a key per pod (and per restart). */
    @Test
    void aSumdbWithoutItsKeySecretIsRefused() {
        for (Map<String, Object> v : List.<Map<String, Object>>of(Map.of(), Map.of("auth.existingSecret", "a", "sumdb.replicas", "1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Render.helm(v));
            assertTrue(e.getMessage().contains("sumdb.signerKey.existingSecret is required"), e.getMessage());
            assertTrue(e.getMessage().contains("keygen sum.modproxy.local"), "says how to make the key: " + e.getMessage());
        }
    }

    @Test
    void authenticationOnNeedsItsSecretAndOffIsExplicit() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Render.helm(Map.of("sumdb.signerKey.existingSecret", "k")));
        assertTrue(e.getMessage().contains("auth.enabled=true needs auth.existingSecret"), e.getMessage());
        Manifests m = Manifests.parse(Render.helm(Map.of("sumdb.signerKey.existingSecret", "k", "auth.enabled", "false")));
        var env = Checks.env(m, Checks.workload(m, "modproxy-gateway").container());
        assertEquals("false", env.get("MODPROXY_AUTH_ENABLED"));
        assertFalse(env.containsKey("MODPROXY_AUTH_USERS_FILE"));
        // tokens only
        m = Manifests.parse(Render.helm(with(Map.of("auth.usersKey", ""))));
        env = Checks.env(m, Checks.workload(m, "modproxy-gateway").container());
        assertFalse(env.containsKey("MODPROXY_AUTH_USERS_FILE"));
        assertEquals("/etc/modproxy/auth/tokens", env.get("MODPROXY_AUTH_TOKENS_FILE"));
    }

    /** Everything the services read from files can be mounted: auth, policy, git credentials, pins, CAs, anything else. */
    @Test
    void filesTheServicesReadAreMounted() throws Exception {
        String values = """
                policy:
                  rules: |
                    rules:
                      - match: "evil.example/*"
                        action: deny
                fetcher:
                  gitCredentials: {existingSecret: git-hosts}
                  pins: {existingConfigMap: git-pins}
                  extraEnv: {JAVA_OPTS: "-Xmx1g", SHARED: fetcher-wins}
                  extraVolumes: [{name: scratch, emptyDir: {}}]
                  extraVolumeMounts: [{name: scratch, mountPath: /scratch}]
                config:
                  modproxy.vcs.pins: "git.corp.example=/etc/modproxy/pins/git.pem"
                tlsTrust:
                  existingConfigMap: corp-bundle
                  files: [root.pem, issuing.pem]
                extraEnv: {SHARED: everyone, HTTPS_PROXY_NOTE: x}
                extraVolumes: [{name: corp-conf, configMap: {name: corp-conf}}]
                extraVolumeMounts: [{name: corp-conf, mountPath: /etc/corp, readOnly: true}]
                """;
        Manifests m = Manifests.parse(Render.helm("modproxy", values, REQUIRED));
        Checks.all(m);
        var gateway = Checks.workload(m, "modproxy-gateway");
        Checks.fileFrom(m, gateway, "MODPROXY_POLICY_FILE", "/etc/modproxy/policy/policy.yaml", "modproxy-policy");
        assertTrue(m.get(ConfigMap.class, "modproxy-policy").getData().get("policy.yaml").contains("evil.example/*"));
        var fetcher = Checks.workload(m, "modproxy-fetcher");
        Map<String, String> fenv = Checks.env(m, fetcher.container());
        assertEquals("/etc/modproxy/git-credentials", fenv.get("MODPROXY_VCS_CREDENTIALS_DIR"));
        assertTrue(fetcher.template().getSpec().getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("git-hosts")));
        assertEquals("git.corp.example=/etc/modproxy/pins/git.pem", fenv.get("MODPROXY_VCS_PINS"));
        assertTrue(fetcher.container().getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/etc/modproxy/pins")));
        assertEquals("fetcher-wins", fenv.get("SHARED"), "a service's extraEnv over the shared one");
        assertEquals("-Xmx1g", fenv.get("JAVA_OPTS"));
        assertTrue(fetcher.container().getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/scratch")));
        for (String service : List.of("gateway", "fetcher", "sumdb", "audit")) {
            var w = Checks.workload(m, "modproxy-" + service);
            Map<String, String> env = Checks.env(m, w.container());
            // modproxy.tls.trust takes files: the chart names them, never the directory
            assertEquals("/etc/modproxy/trust/root.pem,/etc/modproxy/trust/issuing.pem", env.get("MODPROXY_TLS_TRUST"), service);
            assertTrue(w.template().getSpec().getVolumes().stream().anyMatch(v -> v.getConfigMap() != null
                    && v.getConfigMap().getName().equals("corp-bundle")), service + " mounts the CA bundle");
            assertTrue(w.container().getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/etc/corp")), service);
            if (!service.equals("fetcher")) {
                assertEquals("everyone", env.get("SHARED"), service);
                assertFalse(env.containsKey("MODPROXY_VCS_CREDENTIALS_DIR"), service);
            }
        }
    }

    /** values.schema.json refuses what would render a broken install: wrong types, unknown keys, misspelt settings. */
    @Test
    void badValuesAreRefusedByTheSchema() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("gateway.replicas", "many"),
                Map.of("sumbd.replicas", "2"),
                Map.of("storage.type", "nfs"),
                Map.of("config.MODPROXY_UPSTREAM", "off"),
                Map.of("tlsTrust.files", "/etc/ssl"),
                Map.of("auth.enabled", "yes please"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Render.helm(with(bad)), bad.toString());
            assertTrue(e.getMessage().contains("schema"), bad + ": " + e.getMessage());
        }
    }

    /** Every modproxy.* key the README documents is in values.yaml's config, or set by the chart (listed there). */
    @Test
    void everyReadmeKeyIsInValues() throws Exception {
        String values = Files.readString(Repo.path("deploy/helm/modproxy/values.yaml"));
        java.util.Set<String> known = new java.util.TreeSet<>();
        Matcher k = Pattern.compile("(?m)^  (modproxy\\.[a-z0-9.-]+):").matcher(values);
        while (k.find()) {
            known.add(k.group(1));
        }
        Matcher listed = Pattern.compile("(?m)^# (?:set-by-chart|left to the services|Not for clusters):(.*)$").matcher(values);
        while (listed.find()) {
            Matcher key = Pattern.compile("modproxy\\.[a-z0-9.-]*[a-z0-9]").matcher(listed.group(1));
            while (key.find()) {
                known.add(key.group());
            }
        }
        java.util.Set<String> documented = new java.util.TreeSet<>();
        // table rows: | `modproxy.a.b` | ... and | `modproxy.a.b` / `c` | ... (c shares a.b's prefix)
        Matcher row = Pattern.compile("(?m)^\\| `(modproxy\\.[a-z0-9.-]+)`(?: / `([a-z0-9-]+)`)? \\|").matcher(Files.readString(Repo.path("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
            if (row.group(2) != null) {
                documented.add(row.group(1).substring(0, row.group(1).lastIndexOf('.') + 1) + row.group(2));
            }
        }
        assertTrue(documented.size() > 80, "README's configuration tables: " + documented);
        documented.removeAll(known);
        assertEquals(java.util.Set.of(), documented, "README keys missing from values.yaml config (or its set-by-chart list)");
    }

    /** Every modproxy.* key of values.yaml reaches every service's pods as its MODPROXY_* variable. */
    @Test
    void everyConfigKeyReachesThePods() throws Exception {
        String values = Files.readString(Repo.path("deploy/helm/modproxy/values.yaml"));
        Matcher k = Pattern.compile("(?m)^  (modproxy\\.[a-z0-9.-]+):").matcher(values);
        Map<String, Object> set = new LinkedHashMap<>();
        int i = 0;
        while (k.find()) {
            set.put("config." + k.group(1).replace(".", "\\."), "value-" + i++);
        }
        assertTrue(set.size() >= 30, "values.yaml lists every setting: " + set.keySet());
        Manifests m = Manifests.parse(Render.helm(with(set)));
        for (String service : List.of("gateway", "fetcher", "sumdb", "audit")) {
            Map<String, String> env = Checks.env(m, Checks.workload(m, "modproxy-" + service).container());
            set.forEach((key, value) -> {
                String property = key.substring("config.".length()).replace("\\.", ".");
                String var = property.toUpperCase().replace('.', '_').replace('-', '_');
                assertEquals(value, env.get(var), service + ": " + property + " as " + var);
            });
        }
    }

    @Test
    void existingStorageAndKafkaFsVolumeIngressMonitoringProbeSecrets() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fullnameOverride", "mp");
        v.put("storage.type", "fs");
        v.put("minio.enabled", "false");
        v.put("kafka.enabled", "false");
        v.put("kafka.bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092");
        v.put("gateway.replicas", "5");
        v.put("gateway.autoscaling.requestsPerSecond", "150");
        v.put("fetcher.replicas", "4");
        v.put("fetcher.persistence.enabled", "false");
        v.put("fetcher.netrc.content", "machine git.corp.example login bot password s3cret");
        v.put("sumdb.signerKey.existingSecret", "sumdb-key");
        v.put("audit.autoscaling.enabled", "true");
        v.put("tlsTrust.existingSecret", "corp-ca");
        v.put("internalToken.existingSecret", "corp-internal-token");
        v.put("ingress.enabled", "true");
        v.put("ingress.host", "goproxy.corp.example");
        v.put("ingress.className", "nginx");
        v.put("monitoring.serviceMonitor.enabled", "true");
        v.put("monitoring.prometheusRule.enabled", "true");
        v.put("monitoring.dashboard.enabled", "true");
        v.put("probe.enabled", "true");
        v.put("probe.pushgateway", "http://pushgateway.monitoring:9091");
        v.put("logging.json", "false");
        v.put("shutdown.timeout", "120s");
        v.put("shutdown.terminationGracePeriodSeconds", "150");
        v.put("config.modproxy\\.private", "git.corp.example/*");
        Manifests m = Manifests.parse(Render.helm(with(v)));
        Checks.all(m);

        assertEquals(5, Checks.workload(m, "mp-gateway").replicas());
        assertEquals(4, Checks.workload(m, "mp-fetcher").replicas());
        assertTrue(m.find(StatefulSet.class, "mp-minio").isEmpty());
        assertTrue(m.custom("Kafka").isEmpty());
        assertTrue(m.all(Secret.class, s -> s.getMetadata().getName().equals("mp-s3")).isEmpty(), "no S3 credentials for fs");
        assertTrue(m.find(Secret.class, "mp-internal-token").isEmpty(), "no generated service credential beside an existing one");
        assertEquals("corp-internal-token", Checks.serviceCredential(m, Checks.workload(m, "mp-sumdb")));

        PersistentVolumeClaim pvc = m.get(PersistentVolumeClaim.class, "mp-storage");
        assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes());
        for (String service : List.of("gateway", "fetcher", "sumdb", "audit")) {
            var w = Checks.workload(m, "mp-" + service);
            Map<String, String> env = Checks.env(m, w.container());
            assertEquals("fs", env.get("MODPROXY_STORAGE_TYPE"));
            assertEquals("/var/lib/modproxy-storage", env.get("MODPROXY_STORAGE_FS_ROOT"));
            assertTrue(w.template().getSpec().getVolumes().stream().anyMatch(x -> x.getPersistentVolumeClaim() != null
                    && x.getPersistentVolumeClaim().getClaimName().equals("mp-storage")), service + " mounts the shared volume");
            assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"));
            assertEquals("git.corp.example/*", env.get("MODPROXY_PRIVATE"));
            assertEquals("/etc/modproxy/trust/ca.crt", env.get("MODPROXY_TLS_TRUST"), "a file: modproxy.tls.trust opens each entry as a PEM file");
            assertEquals("false", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
            assertEquals("120s", env.get("QUARKUS_SHUTDOWN_TIMEOUT"));
        }
        var sumdb = Checks.workload(m, "mp-sumdb");
        assertEquals("/etc/modproxy/sumdb/signer.key", Checks.env(m, sumdb.container()).get("MODPROXY_SUMDB_KEY_FILE"));
        var fetcher = Checks.workload(m, "mp-fetcher");
        assertEquals("/etc/modproxy/netrc/netrc", Checks.env(m, fetcher.container()).get("MODPROXY_VCS_NETRC"));
        assertNotNull(m.get(Secret.class, "mp-netrc").getData().get("netrc"));
        assertTrue(m.get(StatefulSet.class, "mp-fetcher").getSpec().getVolumeClaimTemplates().isEmpty());

        var metrics = m.get(HorizontalPodAutoscaler.class, "mp-gateway").getSpec().getMetrics();
        assertEquals("http_server_requests_per_second", metrics.get(1).getPods().getMetric().getName());
        assertTrue(m.find(HorizontalPodAutoscaler.class, "mp-audit").isPresent());
        Ingress in = m.get(Ingress.class, "mp");
        assertEquals("nginx", in.getSpec().getIngressClassName());
        assertEquals("goproxy.corp.example", in.getSpec().getTls().get(0).getHosts().get(0));
        assertEquals("mp-gateway", in.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName());
        assertEquals(1, m.custom("ServiceMonitor").size());
        assertEquals(1, m.custom("PrometheusRule").size());
        ConfigMap dashboard = m.get(ConfigMap.class, "mp-dashboard");
        assertEquals(Files.readString(Repo.path("deploy/dashboards/modproxy.json")).strip(), dashboard.getData().get("modproxy.json").strip());
        CronJob probe = m.get(CronJob.class, "mp-probe");
        var probeEnv = probe.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertTrue(probeEnv.stream().anyMatch(e -> e.getName().equals("MODPROXY_PROBE_GOPROXY") && e.getValue().equals("http://mp-gateway:8080")));
        assertEquals(Files.readString(Repo.path("deploy/probe/modproxy-probe.sh")).strip(),
                m.get(ConfigMap.class, "mp-probe").getData().get("modproxy-probe.sh").strip());
        assertTrue(m.find(NetworkPolicy.class, "mp-minio-ingress").isEmpty());
    }

    @Test
    void singleNodeMinioAndNoNetworkPolicies() throws Exception {
        Manifests m = Manifests.parse(Render.helm(with(Map.of("minio.replicas", "1", "networkPolicy.enabled", "false",
                "storage.s3.secretKey", "given-secret", "kafka.replicas", "1"))));
        assertEquals(List.of("server", "/data", "--console-address", ":9001"),
                m.get(StatefulSet.class, "modproxy-minio").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertTrue(m.all(NetworkPolicy.class).isEmpty());
        assertEquals("given-secret", new String(java.util.Base64.getDecoder().decode(
                m.get(Secret.class, "modproxy-s3").getData().get("MODPROXY_STORAGE_S3_SECRET_KEY"))));
    }

    @Test
    void contradictorySettingsFailToRender() {
        assertThrows(IllegalStateException.class, () -> Render.helm(with(Map.of("minio.enabled", "false"))),
                "s3 without an endpoint");
        assertThrows(IllegalStateException.class, () -> Render.helm(with(Map.of("kafka.enabled", "false"))),
                "no Kafka at all");
        assertThrows(IllegalStateException.class, () -> Render.helm(with(Map.of("storage.type", "nfs"))));
        IllegalStateException files = assertThrows(IllegalStateException.class,
                () -> Render.helm(with(Map.of("tlsTrust.existingSecret", "ca", "tlsTrust.files", "null"))));
        assertTrue(files.getMessage().contains("tlsTrust.files must name the PEM files"), files.getMessage());
        assertThrows(IllegalStateException.class, () -> Render.helm(with(Map.of("policy.existingConfigMap", "p", "policy.rules", "rules: []"))));
    }
}
