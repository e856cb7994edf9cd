package dev.modproxy.gateway.door;

import dev.modproxy.gateway.service.ProxyException;
import io.vertx.core.http.HttpMethod;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A REST endpoint the door does not classify could not be reached, so it would be dead code,
 * or, had the door a hole, a door-less entrance: every JAX-RS resource method of the gateway's
 * compiled classes must be a target the door accepts for that method (and not a probe, which
 * skips the chain). A new resource fails here until its endpoint is in {@link AdminEndpoint}
 * (or another kind of the door). The Vert.x routes registered by path are checked by
 * {@code FrontDoorRequestTest}.
 */
class FrontDoorRoutesTest {

    private static final Map<Class<? extends java.lang.annotation.Annotation>, HttpMethod> VERBS = Map.of(
            GET.class, HttpMethod.GET, POST.class, HttpMethod.POST, PUT.class, HttpMethod.PUT,
            DELETE.class, HttpMethod.DELETE, HEAD.class, HttpMethod.HEAD, PATCH.class, HttpMethod.PATCH);

    @Test
    void everyRestEndpointIsClassifiedByTheDoor() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Class<?> c : gatewayClasses()) {
            Path classPath = c.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                for (var verb : VERBS.entrySet()) {
                    if (m.getAnnotation(verb.getKey()) == null) {
                        continue;
                    }
                    Path methodPath = m.getAnnotation(Path.class);
                    String path = sample(join(classPath.value(), methodPath == null ? "" : methodPath.value()));
                    try {
                        Target t = FrontDoor.classify(verb.getValue(), path, Spelling.decode(path));
                        assertFalse(t.kind().probe(), path);
                        checked.add(verb.getValue() + " " + path + " -> " + t.kind());
                    } catch (ProxyException e) {
                        fail(c.getSimpleName() + "." + m.getName() + ": " + verb.getValue() + " " + path
                                + " is not a target the front door knows (" + e.getMessage() + ")");
                    }
                }
            }
        }
        assertTrue(checked.size() >= 11, String.valueOf(checked));
    }

    private static String join(String a, String b) {
        String s = ("/" + a + "/" + b).replaceAll("/+", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The template with each parameter replaced by a plausible value. */
    private static String sample(String template) {
        return template.replaceAll("\\{[^}]+}", "example.com/m@v1.0.0");
    }

    private static List<Class<?>> gatewayClasses() throws IOException, ClassNotFoundException {
        java.nio.file.Path root = java.nio.file.Path.of("target/classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                out.add(Class.forName(name, false, FrontDoorRoutesTest.class.getClassLoader()));
            }
        }
        assertFalse(out.isEmpty(), "no compiled classes under " + root.toAbsolutePath());
        return out;
    }
}
