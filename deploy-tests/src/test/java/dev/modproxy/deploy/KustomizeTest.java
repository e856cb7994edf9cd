package dev.modproxy.deploy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kustomize overlay, rendered with kubectl kustomize and parsed strictly. */
class KustomizeTest {

    private static Manifests render(String dir) throws Exception {
        return Manifests.parse(Render.kustomize(Repo.path(dir)));
    }

    private static Map<String, Integer> replicas(Manifests m) {
        return Map.of(
                "gateway", Checks.workload(m, "modproxy-gateway").replicas(),
                "fetcher", Checks.workload(m, "modproxy-fetcher").replicas(),
                "sumdb", Checks.workload(m, "modproxy-sumdb").replicas(),
                "audit", Checks.workload(m, "modproxy-audit").replicas());
    }

    @Test
    void base() throws Exception {
        Manifests m = render("deploy/kustomize/base");
        assertEquals(4, Checks.workloads(m).size());
        // the base leaves the Secret to the overlays; everything else holds already
        Checks.workloads(m).forEach(w -> {
            Checks.probes(w);
            Checks.security(w.name(), w.template());
            Checks.disruptionBudget(m, w);
        });
        Checks.fetcherRing(m);
        Checks.networkPolicies(m);
        // no overlay can forget the signer key: the base mounts the Secret (none is generated in a pod)
        Checks.sumdbKeyFromSecret(m, Checks.workload(m, "modproxy-sumdb"));
        Checks.internalPairs(m);
        Checks.workloads(m).forEach(w -> assertEquals("modproxy-internal-token", Checks.serviceCredential(m, w)));
    }

    @Test
    void dev() throws Exception {
        Manifests m = render("deploy/kustomize/overlays/dev");
        Checks.all(m);
        assertEquals(Map.of("gateway", 1, "fetcher", 1, "sumdb", 1, "audit", 1, "minio", 1),
                Map.of("gateway", replicas(m).get("gateway"), "fetcher", replicas(m).get("fetcher"),
                        "sumdb", replicas(m).get("sumdb"), "audit", replicas(m).get("audit"),
                        "minio", Checks.workload(m, "modproxy-minio").replicas()));
        var env = Checks.env(m, Checks.workload(m, "modproxy-gateway").container());
        assertEquals("s3", env.get("MODPROXY_STORAGE_TYPE"));
        assertEquals("http://modproxy-minio:9000", env.get("MODPROXY_STORAGE_S3_ENDPOINT"));
        assertEquals("modproxy-kafka-kafka-bootstrap:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("false", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), "readable logs in dev");
        assertEquals(1, m.custom("Kafka").size());
        assertEquals(1, m.custom("KafkaNodePool").size());
        assertTrue(m.find(Secret.class, "modproxy-secrets").isEmpty(), "generated Secrets carry a content hash");
        assertTrue(m.all(HorizontalPodAutoscaler.class).isEmpty(), "one replica each: no autoscaling in dev");
        // dev signs with the committed TEST key, named as the database it signs for
        var sumdb = Checks.workload(m, "modproxy-sumdb");
        String keySecret = sumdb.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals("signer-key"))
                .findFirst().orElseThrow().getSecret().getSecretName();
        String key = new String(java.util.Base64.getMimeDecoder().decode(m.get(Secret.class, keySecret).getData().get("signer.key"))).strip();
        assertEquals(Files.readString(Repo.path("deploy/kustomize/overlays/dev/TEST-ONLY-sumdb-signer.key")).strip(), key);
        assertTrue(key.startsWith("PRIVATE+KEY+" + Checks.env(m, sumdb.container()).get("MODPROXY_SUMDB_NAME") + "+"), key);
        assertTrue(Checks.env(m, sumdb.container()).get("MODPROXY_SUMDB_NAME").contains("test-only"), "the test key's name says so");
    }

    @Test
    void prod() throws Exception {
        Manifests m = render("deploy/kustomize/overlays/prod");
        Checks.all(m);
        Map<String, Integer> r = replicas(m);
        assertTrue(r.get("gateway") >= 3, "gateways " + r);
        assertTrue(r.get("fetcher") >= 2, "fetchers " + r);
        assertEquals(2, r.get("sumdb"));
        assertTrue(r.get("audit") >= 2, "audit " + r);
        HorizontalPodAutoscaler hpa = m.get(HorizontalPodAutoscaler.class, "modproxy-gateway");
        assertTrue(hpa.getSpec().getMinReplicas() >= 3);
        assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
        var gw = Checks.env(m, Checks.workload(m, "modproxy-gateway").container());
        assertEquals("true", gw.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), "JSON logs in prod");
        var sumdb = Checks.workload(m, "modproxy-sumdb");
        assertEquals("/etc/modproxy/sumdb/signer.key", Checks.env(m, sumdb.container()).get("MODPROXY_SUMDB_KEY_FILE"));
        assertTrue(sumdb.template().getSpec().getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("modproxy-sumdb-key")));
        StatefulSet fetchers = m.get(StatefulSet.class, "modproxy-fetcher");
        assertEquals("data", fetchers.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
        assertTrue(fetchers.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("data")),
                "the fetchers' data is the claim, not an emptyDir");
        assertEquals("/etc/modproxy/netrc/netrc", Checks.env(m, Checks.workload(m, "modproxy-fetcher").container()).get("MODPROXY_VCS_NETRC"));
        // the admin API is not left open in production
        var gateway = Checks.workload(m, "modproxy-gateway");
        assertEquals("true", Checks.env(m, gateway.container()).get("MODPROXY_AUTH_ENABLED"));
        Checks.fileFrom(m, gateway, "MODPROXY_AUTH_USERS_FILE", "/etc/modproxy/auth/users", "modproxy-auth");
        Checks.fileFrom(m, gateway, "MODPROXY_AUTH_TOKENS_FILE", "/etc/modproxy/auth/tokens", "modproxy-auth");
        Ingress in = m.get(Ingress.class, "modproxy");
        assertEquals("modproxy-tls", in.getSpec().getTls().get(0).getSecretName());
        assertEquals("modproxy-gateway", in.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName());
        assertEquals(1, m.custom("ServiceMonitor").size());
        assertEquals(1, m.custom("PrometheusRule").size());
        assertEquals(1, m.all(CronJob.class).size(), "the synthetic probe");
        m.objects.forEach(o -> assertEquals("modproxy", o.getMetadata().getNamespace(), o.getKind() + "/" + o.getMetadata().getName()));
    }

    /** prod with the given components, as an operator's own overlay adds them. */
    private static Manifests prodWith(String... components) throws Exception {
        // kustomize takes only relative paths: the overlay lives beside the others for the test
        Path kustomize = Repo.path("deploy/kustomize");
        Path overlay = Files.createTempDirectory(kustomize.resolve("overlays"), "test-");
        try {
            List<String> lines = new java.util.ArrayList<>(List.of(
                    "apiVersion: kustomize.config.k8s.io/v1beta1",
                    "kind: Kustomization",
                    "resources:",
                    "  - " + overlay.relativize(kustomize.resolve("overlays/prod")),
                    "components:"));
            for (String c : components) {
                lines.add("  - " + overlay.relativize(kustomize.resolve("components/" + c)));
            }
            lines.add("");
            Files.writeString(overlay.resolve("kustomization.yaml"), String.join("\n", lines));
            return Manifests.parse(Render.kustomize(overlay));
        } finally {
            Files.deleteIfExists(overlay.resolve("kustomization.yaml"));
            Files.deleteIfExists(overlay);
        }
    }

    /** The components that mount what the services read from files: policy, git credentials, pins, CAs. */
    @Test
    void prodWithPolicyGitCredentialsPinsAndTrust() throws Exception {
        Manifests m = prodWith("policy", "git-credentials", "pins", "trust");
        Checks.all(m);
        Checks.fileFrom(m, Checks.workload(m, "modproxy-gateway"), "MODPROXY_POLICY_FILE", "/etc/modproxy/policy/policy.yaml", "modproxy-policy");
        var fetcher = Checks.workload(m, "modproxy-fetcher");
        assertEquals("/etc/modproxy/git-credentials", Checks.env(m, fetcher.container()).get("MODPROXY_VCS_CREDENTIALS_DIR"));
        assertTrue(fetcher.template().getSpec().getVolumes().stream().anyMatch(v -> v.getSecret() != null
                && v.getSecret().getSecretName().equals("modproxy-git-credentials")));
        assertTrue(fetcher.container().getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/etc/modproxy/pins")));
        for (String service : List.of("gateway", "fetcher", "sumdb", "audit")) {
            // modproxy.tls.trust takes files: a file in the mounted Secret, never the directory
            Checks.fileFrom(m, Checks.workload(m, "modproxy-" + service), "MODPROXY_TLS_TRUST", "/etc/modproxy/trust/ca.crt", "modproxy-trust");
        }
    }

    /** prod with the request-rate component, as its README says to add it. */
    @Test
    void prodWithRequestRateScaling() throws Exception {
        Manifests m = prodWith("request-rate-hpa");
        Checks.all(m);
        var metrics = m.get(HorizontalPodAutoscaler.class, "modproxy-gateway").getSpec().getMetrics();
        assertEquals(List.of("Resource", "Pods"), metrics.stream().map(x -> x.getType()).toList());
        assertEquals("http_server_requests_per_second", metrics.get(1).getPods().getMetric().getName());
    }

    @Test
    void strictParsingRejectsUnknownFields() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                spec:
                  selectr: {a: b}
                """;
        var e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> Manifests.parse(yaml));
        assertTrue(e.getMessage().contains("Service/x.spec.selectr"), e.getMessage());
        var custom = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Manifests.parse("apiVersion: example.com/v1\nkind: Frobnicator\nmetadata: {name: x}\n"));
        assertTrue(custom.getMessage().contains("unknown kind"), custom.getMessage());
    }
}
