package dev.modproxy.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every rendering of modproxy (kustomize overlay or Helm values) must satisfy. */
final class Checks {

    /** A Deployment or StatefulSet, seen the same way. */
    record Workload(String kind, String name, int replicas, PodTemplateSpec template, LabelSelector selector) {
        Container container() {
            return template.getSpec().getContainers().get(0);
        }
    }

    /** Secret values are not compared, only that the key arrives: this marks them. */
    static final String FROM_SECRET = "<secret>";

    /** A key standing for a Secret the rendering references but does not contain. */
    static final String EXTERNAL_SECRET = "<external secret>/";

    private Checks() {
    }

    static List<Workload> workloads(Manifests m) {
        List<Workload> out = new ArrayList<>();
        for (Deployment d : m.all(Deployment.class)) {
            out.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getReplicas(), d.getSpec().getTemplate(),
                    d.getSpec().getSelector()));
        }
        for (StatefulSet s : m.all(StatefulSet.class)) {
            out.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getReplicas(), s.getSpec().getTemplate(),
                    s.getSpec().getSelector()));
        }
        return out;
    }

    static Workload workload(Manifests m, String name) {
        return workloads(m).stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name + " among "
                        + workloads(m).stream().map(Workload::name).toList()));
    }

    /** The environment a container starts with: env, then envFrom ConfigMaps and Secrets of the rendering. */
    static Map<String, String> env(Manifests m, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = m.find(ConfigMap.class, from.getConfigMapRef().getName()).orElse(null);
                if (cm == null) {
                    assertTrue(Boolean.TRUE.equals(from.getConfigMapRef().getOptional()),
                            c.getName() + " needs ConfigMap " + from.getConfigMapRef().getName() + ", which is not rendered");
                    continue;
                }
                env.putAll(cm.getData());
            }
            if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                if (m.find(Secret.class, name).isEmpty()) {
                    // created by the operator beside the manifests (prod): its keys are documented, not rendered
                    env.put(EXTERNAL_SECRET + name, FROM_SECRET);
                }
                m.find(Secret.class, name).ifPresent(s -> {
                    if (s.getData() != null) {
                        s.getData().keySet().forEach(k -> env.put(k, FROM_SECRET));
                    }
                    if (s.getStringData() != null) {
                        s.getStringData().keySet().forEach(k -> env.put(k, FROM_SECRET));
                    }
                });
            }
        }
        for (EnvVar v : c.getEnv()) {
            env.put(v.getName(), v.getValue() != null ? v.getValue() : FROM_SECRET);
        }
        return env;
    }

    /** The checks every rendering passes; the tests add what is particular to each. */
    static void all(Manifests m) {
        List<Workload> ws = workloads(m);
        assertFalse(ws.isEmpty(), "no workloads rendered");
        for (Workload w : ws) {
            probes(w);
            security(w.name(), w.template());
            for (Container c : w.template().getSpec().getContainers()) {
                resources(w.name(), c);
            }
            disruptionBudget(m, w);
        }
        for (CronJob j : m.all(CronJob.class)) {
            PodTemplateSpec t = j.getSpec().getJobTemplate().getSpec().getTemplate();
            security(j.getMetadata().getName(), t);
            t.getSpec().getContainers().forEach(c -> resources(j.getMetadata().getName(), c));
        }
        java.util.Set<String> credentials = new java.util.TreeSet<>();
        for (String service : List.of("gateway", "fetcher", "sumdb", "audit")) {
            Workload w = ws.stream().filter(x -> x.name().endsWith("-" + service)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + service + " workload"));
            modproxyService(m, w);
            credentials.add(serviceCredential(m, w));
        }
        assertEquals(1, credentials.size(), "all four services share one service credential: " + credentials);
        m.find(Secret.class, credentials.iterator().next()).ifPresent(secret -> assertTrue(
                secret.getData() != null && secret.getData().containsKey("token")
                        || secret.getStringData() != null && secret.getStringData().containsKey("token"),
                secret.getMetadata().getName() + ": the service credential is its key \"token\""));
        fetcherRing(m);
        networkPolicies(m);
        sumdbKeyFromSecret(m, ws.stream().filter(x -> x.name().endsWith("-sumdb")).findFirst().orElseThrow());
        internalPairs(m);
    }

    /**
     * The own checksum database signs with one key from a Secret: a key generated into a pod's
     * data directory differs per pod and per restart, and the log in storage refuses all but the
     * first (sumdb stops, and with it every cold fetch).
     */
    static void sumdbKeyFromSecret(Manifests m, Workload w) {
        Container c = w.container();
        String file = env(m, c).get("MODPROXY_SUMDB_KEY_FILE");
        assertNotNull(file, w.name() + ": MODPROXY_SUMDB_KEY_FILE must name the mounted signer key");
        var mount = c.getVolumeMounts().stream().filter(v -> file.startsWith(v.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(w.name() + ": nothing mounted at " + file));
        var volume = w.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(w.name() + ": no volume " + mount.getName()));
        assertNotNull(volume.getSecret(), w.name() + ": the signer key comes from a Secret, not " + volume);
        assertFalse(Boolean.TRUE.equals(volume.getSecret().getOptional()), w.name() + ": the signer key Secret is required");
    }

    /** A file setting (e.g. MODPROXY_AUTH_USERS_FILE) of a container names a file in a volume of the given Secret or ConfigMap. */
    static void fileFrom(Manifests m, Workload w, String var, String expectedPath, String source) {
        Container c = w.container();
        assertEquals(expectedPath, env(m, c).get(var), w.name() + ": " + var);
        var mount = c.getVolumeMounts().stream().filter(v -> expectedPath.startsWith(v.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(w.name() + ": nothing mounted at " + expectedPath));
        assertTrue(mount.getSubPath() == null, w.name() + ": " + var + " is re-read while running, so mounted whole (a subPath never updates)");
        var volume = w.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String name = volume.getSecret() != null ? volume.getSecret().getSecretName()
                : volume.getConfigMap() != null ? volume.getConfigMap().getName() : null;
        assertEquals(source, name, w.name() + ": " + var + " from " + volume);
    }

    /**
     * The service credential reaches the pod as the file the service reads, from a Secret mounted
     * as a directory (a subPath mount would never see a rotation). Returns the Secret's name.
     */
    static String serviceCredential(Manifests m, Workload w) {
        Container c = w.container();
        assertEquals("/etc/modproxy/internal/token", env(m, c).get("MODPROXY_INTERNAL_TOKEN_FILE"),
                w.name() + ": MODPROXY_INTERNAL_TOKEN_FILE");
        var mount = c.getVolumeMounts().stream().filter(v -> "/etc/modproxy/internal".equals(v.getMountPath()))
                .findFirst().orElseThrow(() -> new AssertionError(w.name() + ": the service credential is not mounted"));
        assertTrue(mount.getSubPath() == null || mount.getSubPath().isEmpty(),
                w.name() + ": a subPath mount never sees the Secret rotated");
        var volume = w.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow(() -> new AssertionError(w.name() + ": no volume " + mount.getName()));
        assertNotNull(volume.getSecret(), w.name() + ": the service credential comes from a Secret");
        return volume.getSecret().getSecretName();
    }

    /**
     * Exactly the pairs that talk: gateway and sumdb reach the fetchers, gateway and fetchers
     * reach sumdb, the gateway reaches audit; besides, only the monitoring namespace (for
     * /q/metrics, which shares the port: the service credential guards the rest).
     */
    static void internalPairs(Manifests m) {
        Map<String, java.util.Set<String>> expected = Map.of("fetcher", java.util.Set.of("gateway", "sumdb"),
                "sumdb", java.util.Set.of("gateway", "fetcher"), "audit", java.util.Set.of("gateway"));
        for (var e : expected.entrySet()) {
            NetworkPolicy p = m.all(NetworkPolicy.class).stream().filter(x -> e.getKey().equals(component(x)))
                    .findFirst().orElseThrow(() -> new AssertionError("no ingress policy for " + e.getKey()));
            java.util.Set<String> pods = new java.util.TreeSet<>();
            for (NetworkPolicyIngressRule r : p.getSpec().getIngress()) {
                for (var peer : r.getFrom()) {
                    if (peer.getPodSelector() != null) {
                        var l = peer.getPodSelector().getMatchLabels();
                        pods.add(l.getOrDefault("app.kubernetes.io/component",
                                l.getOrDefault("app.kubernetes.io/name", "").replace("modproxy-", "")));
                    } else {
                        assertNotNull(peer.getNamespaceSelector(), p.getMetadata().getName() + ": a peer that is neither pod nor namespace");
                        assertEquals("monitoring", peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"),
                                p.getMetadata().getName() + ": only the monitoring namespace");
                    }
                }
            }
            assertEquals(new java.util.TreeSet<>(e.getValue()), pods, p.getMetadata().getName() + ": who may connect");
        }
    }

    static void probes(Workload w) {
        for (Container c : w.template().getSpec().getContainers()) {
            String where = w.name() + "/" + c.getName();
            assertNotNull(c.getStartupProbe(), where + ": no startup probe");
            assertNotNull(c.getLivenessProbe(), where + ": no liveness probe");
            assertNotNull(c.getReadinessProbe(), where + ": no readiness probe");
        }
    }

    static void resources(String where, Container c) {
        var r = c.getResources();
        assertNotNull(r, where + "/" + c.getName() + ": no resources");
        assertTrue(r.getRequests() != null && r.getRequests().containsKey("cpu") && r.getRequests().containsKey("memory"),
                where + "/" + c.getName() + ": requests need cpu and memory: " + r.getRequests());
        assertTrue(r.getLimits() != null && r.getLimits().containsKey("memory"),
                where + "/" + c.getName() + ": limits need memory: " + r.getLimits());
    }

    static void security(String where, PodTemplateSpec t) {
        var pod = t.getSpec().getSecurityContext();
        assertNotNull(pod, where + ": no pod securityContext");
        assertEquals(Boolean.TRUE, pod.getRunAsNonRoot(), where + ": runAsNonRoot");
        assertNotNull(pod.getRunAsUser(), where + ": runAsUser");
        assertTrue(pod.getRunAsUser() > 0, where + ": runAsUser must not be root");
        assertEquals(Boolean.FALSE, t.getSpec().getAutomountServiceAccountToken(), where + ": no API token needed");
        for (Container c : t.getSpec().getContainers()) {
            var s = c.getSecurityContext();
            assertNotNull(s, where + "/" + c.getName() + ": no container securityContext");
            assertEquals(Boolean.TRUE, s.getReadOnlyRootFilesystem(), where + "/" + c.getName() + ": readOnlyRootFilesystem");
            assertEquals(Boolean.FALSE, s.getAllowPrivilegeEscalation(), where + "/" + c.getName() + ": allowPrivilegeEscalation");
            assertTrue(s.getCapabilities() != null && s.getCapabilities().getDrop().contains("ALL"),
                    where + "/" + c.getName() + ": capabilities must drop ALL");
            assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/tmp")),
                    where + "/" + c.getName() + ": a read-only container needs a writable /tmp");
        }
    }

    static void disruptionBudget(Manifests m, Workload w) {
        Map<String, String> labels = w.template().getMetadata().getLabels();
        List<PodDisruptionBudget> pdbs = m.all(PodDisruptionBudget.class, p -> labels.entrySet()
                .containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()));
        assertEquals(1, pdbs.size(), w.name() + ": exactly one PodDisruptionBudget must select its pods");
        PodDisruptionBudget p = pdbs.get(0);
        assertTrue(p.getSpec().getMaxUnavailable() != null || p.getSpec().getMinAvailable() != null, p.getMetadata().getName());
    }

    /** Probes on SmallRye Health's endpoints, the port named, graceful shutdown that fits, JSON logs. */
    static void modproxyService(Manifests m, Workload w) {
        Container c = w.container();
        assertEquals("/q/health/started", path(c.getStartupProbe()), w.name());
        assertEquals("/q/health/live", path(c.getLivenessProbe()), w.name());
        assertEquals("/q/health/ready", path(c.getReadinessProbe()), w.name());
        int port = c.getPorts().get(0).getContainerPort();
        assertTrue(port >= 8080 && port <= 8083, w.name() + " port " + port);
        Map<String, String> env = env(m, c);
        assertEquals(Integer.toString(port), env.get("QUARKUS_HTTP_PORT"), w.name() + ": Quarkus listens on the container port");
        assertEquals("/var/lib/modproxy", env.get("MODPROXY_DATA_DIR"), w.name());
        assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/var/lib/modproxy")), w.name());
        Duration shutdown = Duration.parse("PT" + Objects.requireNonNull(env.get("QUARKUS_SHUTDOWN_TIMEOUT"), w.name()
                + ": QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase());
        List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
        assertEquals("sleep", preStop.get(0), w.name());
        long budget = shutdown.toSeconds() + Long.parseLong(preStop.get(1));
        assertTrue(w.template().getSpec().getTerminationGracePeriodSeconds() > budget, w.name()
                + ": terminationGracePeriodSeconds must exceed preStop sleep + quarkus.shutdown.timeout = " + budget);
        assertNotNull(env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), w.name() + ": JSON logs switch");
        for (String key : List.of("MODPROXY_STORAGE_TYPE", "KAFKA_BOOTSTRAP_SERVERS", "MODPROXY_FETCHER_ENDPOINTS")) {
            assertNotNull(env.get(key), w.name() + ": " + key + " must reach the pod");
        }
        // The services' own defaults are localhost ports (deploy/local/up); in a cluster the
        // gateway and fetchers must reach sumdb-service and audit-service through their Services.
        for (String[] e : new String[][] {{"MODPROXY_SUMDB_ENDPOINT", "-sumdb", "8082"}, {"MODPROXY_AUDIT_ENDPOINT", "-audit", "8083"}}) {
            String url = env.get(e[0]);
            assertNotNull(url, w.name() + ": " + e[0] + " must reach the pod");
            java.net.URI u = java.net.URI.create(url);
            assertTrue(u.getHost().endsWith(e[1]) && u.getPort() == Integer.parseInt(e[2]), w.name() + ": " + e[0] + "=" + url);
            assertFalse(m.all(Service.class, svc -> svc.getMetadata().getName().equals(u.getHost())).isEmpty(),
                    w.name() + ": " + e[0] + " names no Service: " + url);
        }
        if ("s3".equals(env.get("MODPROXY_STORAGE_TYPE"))) {
            assertNotNull(env.get("MODPROXY_STORAGE_S3_ENDPOINT"), w.name() + ": MODPROXY_STORAGE_S3_ENDPOINT must reach the pod");
            boolean external = env.keySet().stream().anyMatch(k -> k.startsWith(EXTERNAL_SECRET));
            if (!external) {
                assertEquals(FROM_SECRET, env.get("MODPROXY_STORAGE_S3_ACCESS_KEY"), w.name() + ": S3 access key from a Secret");
                assertEquals(FROM_SECRET, env.get("MODPROXY_STORAGE_S3_SECRET_KEY"), w.name() + ": S3 secret key from a Secret");
            }
        }
    }

    private static String path(Probe p) {
        return p.getHttpGet().getPath();
    }

    /**
     * The gateways (and sumdb) find the fetchers through their headless Service:
     * {@code dns+http://<headless>:8081}, which the gateway resolves to every ready fetcher pod.
     */
    static void fetcherRing(Manifests m) {
        StatefulSet fetchers = m.all(StatefulSet.class, s -> s.getMetadata().getName().endsWith("-fetcher")).get(0);
        String headless = fetchers.getSpec().getServiceName();
        Service svc = m.get(Service.class, headless);
        assertEquals("None", svc.getSpec().getClusterIP(), headless + " must be headless");
        assertTrue(fetchers.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(svc.getSpec().getSelector().entrySet()), headless + " must select the fetcher pods");
        assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 8081),
                headless + " must carry the fetcher port 8081");
        assertTrue(svc.getSpec().getPublishNotReadyAddresses() == null || !svc.getSpec().getPublishNotReadyAddresses(),
                headless + " must resolve to ready fetchers only");
        for (String user : List.of("gateway", "sumdb")) {
            Workload w = workloads(m).stream().filter(x -> x.name().endsWith("-" + user)).findFirst().orElseThrow();
            assertEquals("dns+http://" + headless + ":8081", env(m, w.container()).get("MODPROXY_FETCHER_ENDPOINTS"),
                    w.name() + ": the fetchers must be found through their headless Service");
        }
    }

    /** A default deny; only the gateway takes connections from anywhere. */
    static void networkPolicies(Manifests m) {
        List<NetworkPolicy> ps = m.all(NetworkPolicy.class);
        assertTrue(ps.stream().anyMatch(p -> p.getSpec().getIngress().isEmpty() && p.getSpec().getPolicyTypes().contains("Ingress")),
                "a default-deny ingress policy");
        for (NetworkPolicy p : ps) {
            boolean open = p.getSpec().getIngress().stream().anyMatch(Checks::fromAnywhere);
            boolean gateway = Objects.equals("gateway", component(p)) || p.getMetadata().getName().endsWith("-gateway-ingress");
            if (open) {
                assertTrue(gateway, p.getMetadata().getName() + " opens a non-gateway pod to everyone");
            }
        }
        for (Workload w : workloads(m)) {
            long covering = ps.stream().filter(p -> selects(p.getSpec().getPodSelector(), w.template().getMetadata().getLabels())).count();
            assertTrue(covering >= 2 || !w.template().getMetadata().getLabels().containsKey("app.kubernetes.io/part-of"),
                    w.name() + ": needs the default deny and its own allow policy");
        }
    }

    private static String component(NetworkPolicy p) {
        var l = p.getSpec().getPodSelector().getMatchLabels();
        return l == null ? null : l.getOrDefault("app.kubernetes.io/component",
                l.getOrDefault("app.kubernetes.io/name", "").replace("modproxy-", ""));
    }

    private static boolean fromAnywhere(NetworkPolicyIngressRule r) {
        return r.getFrom() == null || r.getFrom().isEmpty();
    }

    static boolean selects(LabelSelector s, Map<String, String> labels) {
        if (s.getMatchLabels() != null && !labels.entrySet().containsAll(s.getMatchLabels().entrySet())) {
            return false;
        }
        if (s.getMatchExpressions() != null) {
            for (var e : s.getMatchExpressions()) {
                String v = labels.get(e.getKey());
                boolean ok = switch (e.getOperator()) {
                    case "In" -> v != null && e.getValues().contains(v);
                    case "NotIn" -> v == null || !e.getValues().contains(v);
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> throw new AssertionError("operator " + e.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
