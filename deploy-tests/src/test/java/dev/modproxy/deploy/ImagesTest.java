package dev.modproxy.deploy;

import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The images, without containers: the one Containerfile and deploy/images/build agree with the
 * packaged services and with the image names the manifests pull. Building and running them is
 * deploy/images/run-test (opt-in: it needs podman and root).
 */
class ImagesTest {

    private static final List<String> SERVICES = List.of("proxy-gateway", "fetcher-service", "sumdb-service", "audit-service");

    private static String containerfile() throws Exception {
        return Files.readString(Repo.path("deploy/images/Containerfile"));
    }

    @Test
    void theContainerfileRunsAsUser185FromTheFastJarWithNoRunStep() throws Exception {
        String cf = containerfile();
        List<String> users = new ArrayList<>();
        Matcher u = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(cf);
        while (u.find()) {
            users.add(u.group(1));
        }
        assertEquals(List.of("185"), users, "the manifests' runAsUser");
        assertFalse(Pattern.compile("(?m)^RUN\\b").matcher(cf).find(), "no RUN step: the build needs no container runtime");
        assertTrue(cf.contains("ENTRYPOINT") && cf.contains("/deployments/quarkus-run.jar"), cf);
        assertTrue(cf.contains("MODPROXY_DATA_DIR=/var/lib/modproxy"), "the data volume the manifests mount");
        assertTrue(Pattern.compile("(?m)^VOLUME .*\"/tmp\".*\"/var/lib/modproxy\"").matcher(cf).find(),
                "the only writable places under a read-only root");
    }

    /** Every path the Containerfile copies exists in each packaged service (Quarkus fast-jar layout). */
    @Test
    void everyCopiedPathExistsInEachPackagedService() throws Exception {
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*\\$\\{SERVICE}/(\\S+)\\s+(\\S+)").matcher(containerfile());
        Map<String, String> copies = new TreeMap<>();
        while (copy.find()) {
            copies.put(copy.group(1), copy.group(2));
        }
        assertTrue(copies.keySet().containsAll(List.of("target/quarkus-app/quarkus-run.jar", "target/quarkus-app/lib/",
                "target/quarkus-app/app/", "target/quarkus-app/quarkus/")), "the four fast-jar parts: " + copies);
        for (String service : SERVICES) {
            for (String from : copies.keySet()) {
                Path p = Repo.path(service).resolve(from);
                assertTrue(from.endsWith("/") ? Files.isDirectory(p) : Files.isRegularFile(p),
                        service + ": " + from + " (mvn package writes it; the Containerfile copies it)");
            }
        }
    }

    /** The images the build script makes are the images the kustomize base and the chart pull. */
    @Test
    void theBuiltImagesAreTheOnesTheManifestsName() throws Exception {
        String version = System.getProperty("modproxy.version", "0.1.0-SNAPSHOT");
        String build = Files.readString(Repo.path("deploy/images/build"));
        assertTrue(build.contains("services=(" + String.join(" ", SERVICES) + ")"), "deploy/images/build builds the four");
        assertTrue(build.contains("localhost/modproxy/$svc:$tag"), "images modproxy/<module>:<tag>");
        assertTrue(build.contains("--format oci-archive"), "an OCI archive per image, for skopeo copy");

        List<String> expected = SERVICES.stream().map(s -> "modproxy/" + s + ":" + version).sorted().toList();
        Manifests kustomize = Manifests.parse(Render.kustomize(Repo.path("deploy/kustomize/base")));
        assertEquals(expected, images(kustomize), "kustomize base");
        Manifests helm = Manifests.parse(Render.helm(HelmChartTest.REQUIRED));
        assertEquals(expected, images(helm), "Helm chart (appVersion)");
    }

    private static List<String> images(Manifests m) {
        return Checks.workloads(m).stream().filter(w -> w.name().matches(".*-(gateway|fetcher|sumdb|audit)"))
                .map(Checks.Workload::container).map(Container::getImage).sorted().toList();
    }
}
