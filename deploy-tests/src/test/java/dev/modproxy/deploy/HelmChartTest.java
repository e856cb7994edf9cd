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

    @Test
    void defaults() throws Exception {
        Manifests m = Manifests.parse(Render.helm(Map.of()));
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
        Manifests m = Manifests.parse(Render.helm(set));
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
        Manifests m = Manifests.parse(Render.helm(v));
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
            assertEquals("/etc/modproxy/trust", env.get("MODPROXY_TLS_TRUST"));
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
        Manifests m = Manifests.parse(Render.helm(Map.of("minio.replicas", "1", "networkPolicy.enabled", "false",
                "storage.s3.secretKey", "given-secret", "kafka.replicas", "1")));
        assertEquals(List.of("server", "/data", "--console-address", ":9001"),
                m.get(StatefulSet.class, "modproxy-minio").getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
        assertTrue(m.all(NetworkPolicy.class).isEmpty());
        assertEquals("given-secret", new String(java.util.Base64.getDecoder().decode(
                m.get(Secret.class, "modproxy-s3").getData().get("MODPROXY_STORAGE_S3_SECRET_KEY"))));
    }

    @Test
    void contradictorySettingsFailToRender() {
        assertThrows(IllegalStateException.class, () -> Render.helm(Map.of("minio.enabled", "false")),
                "s3 without an endpoint");
        assertThrows(IllegalStateException.class, () -> Render.helm(Map.of("kafka.enabled", "false")),
                "no Kafka at all");
        assertThrows(IllegalStateException.class, () -> Render.helm(Map.of("storage.type", "nfs")));
    }
}
