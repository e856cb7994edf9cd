package dev.modproxy.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A rendered multi-document YAML parsed into fabric8 Kubernetes model objects, strictly: the model
 * keeps fields it does not know in "additionalProperties" instead of failing, so after parsing,
 * every model object reachable from each resource must have none (a misspelt or misplaced field,
 * e.g. "readinesProbe" or probes under the pod instead of the container, fails here). Custom
 * resources (Prometheus Operator, Strimzi) have no model here: only their kind is checked.
 */
final class Manifests {

    /** Kinds without a fabric8 model that the manifests may contain. */
    static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor", "PrometheusRule", "Kafka", "KafkaNodePool");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = objects;
    }

    static Manifests parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
            boolean empty = doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"));
            if (empty) {
                continue;
            }
            KubernetesResource r = SERIALIZATION.unmarshal(doc, KubernetesResource.class);
            if (!(r instanceof HasMetadata h)) {
                throw new AssertionError("not a Kubernetes object:\n" + doc);
            }
            if (h instanceof GenericKubernetesResource g) {
                if (!CUSTOM_KINDS.contains(g.getKind())) {
                    throw new AssertionError("unknown kind " + g.getApiVersion() + "/" + g.getKind() + ":\n" + doc);
                }
            } else {
                List<String> unknown = new ArrayList<>();
                strict(h, h.getKind() + "/" + h.getMetadata().getName(), unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
                if (!unknown.isEmpty()) {
                    throw new AssertionError("fields the Kubernetes model does not know: " + unknown + "\n" + doc);
                }
            }
            out.add(h);
        }
        return new Manifests(out);
    }

    private static void strict(Object o, String path, List<String> unknown, Set<Object> seen) {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model") || !seen.add(o)) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String field = path + "." + Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
                continue;
            }
            walk(v, field, unknown, seen);
        }
    }

    private static void walk(Object v, String path, List<String> unknown, Set<Object> seen) {
        if (v instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", unknown, seen);
            }
        } else if (v instanceof Map<?, ?> map) {
            map.forEach((k, e) -> walk(e, path + "[" + k + "]", unknown, seen));
        } else {
            strict(v, path, unknown, seen);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    <T extends HasMetadata> List<T> all(Class<T> type, Predicate<T> filter) {
        return all(type).stream().filter(filter).collect(Collectors.toList());
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                + " among " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class, g -> g.getKind().equals(kind));
    }
}
