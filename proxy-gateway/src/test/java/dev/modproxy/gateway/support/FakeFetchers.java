package dev.modproxy.gateway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import dev.modproxy.storage.BlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Starts the fake fetcher replicas a gateway under test talks to, and points
 * {@code modproxy.fetcher.endpoints} at them: {@code live} running ones (init arg, default 2)
 * followed by {@code dead} endpoints where nothing listens (default 1), so failover can be seen.
 * Starts from empty storage, so every run sees the same misses. Tests get this object in a
 * field annotated {@link Fetchers}.
 */
public class FakeFetchers implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Fetchers {
    }

    private final List<FakeFetcher> live = new ArrayList<>();
    private final List<String> dead = new ArrayList<>();
    private int liveCount = 2;
    private int deadCount = 1;
    private BlobStore store;

    @Override
    public void init(Map<String, String> args) {
        liveCount = Integer.parseInt(args.getOrDefault("live", "2"));
        deadCount = Integer.parseInt(args.getOrDefault("dead", "1"));
    }

    @Override
    public Map<String, String> start() {
        try {
            deleteTree(TestStorage.ROOT);
            store = TestStorage.open();
            for (int i = 0; i < liveCount; i++) {
                live.add(new FakeFetcher("live-" + i, store));
            }
            for (int i = 0; i < deadCount; i++) {
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    dead.add("http://127.0.0.1:" + s.getLocalPort());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("modproxy.fetcher.endpoints", String.join(",", endpoints()));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Fetchers.class, FakeFetchers.class));
    }

    @Override
    public void stop() {
        live.forEach(FakeFetcher::stop);
        if (store != null) {
            store.close();
        }
    }

    /** Every configured endpoint, live ones first, as the gateway's configuration lists them. */
    public List<String> endpoints() {
        List<String> all = new ArrayList<>();
        live.forEach(f -> all.add(f.endpoint()));
        all.addAll(dead);
        return all;
    }

    public List<FakeFetcher> live() {
        return live;
    }

    public boolean isDead(String endpoint) {
        return dead.contains(endpoint);
    }

    /** The live fetcher behind {@code endpoint}. */
    public FakeFetcher at(String endpoint) {
        return live.stream().filter(f -> f.endpoint().equals(endpoint)).findFirst().orElseThrow();
    }

    /** Every request any live fetcher saw. */
    public List<String> seen() {
        return live.stream().flatMap(f -> f.seen().stream()).toList();
    }

    /** Every request any live fetcher saw with {@code X-Modproxy-With-Mod: 1}. */
    public List<String> askedWithMod() {
        return live.stream().flatMap(f -> f.askedWithMod().stream()).toList();
    }

    public void clear() {
        live.forEach(FakeFetcher::clear);
    }

    /**
     * Removes the previous test's storage. Retried: a store the previous application started
     * (a fetch finishing in the background as it stopped) may still add a file while the walk
     * deletes, which shows as a directory that is not empty or a file already gone.
     */
    private static void deleteTree(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (!Files.exists(root)) {
                    return;
                }
                try (Stream<Path> paths = Files.walk(root)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                return;
            } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
                if (attempt == 20) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
