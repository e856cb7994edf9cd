package dev.modproxy.fetcher;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts {@link Upstreams} before the fetcher and points {@code modproxy.upstream} at them. */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running {@link Upstreams}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private Upstreams upstreams;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "upstreams");
            upstreams = new Upstreams(dir);
            return Map.of(
                    "modproxy.upstream", upstreams.chain(),
                    "modproxy.data-dir", dir.resolve("data").toString(),
                    "modproxy.private", "corp.example/*",
                    "modproxy.fetch.metadata-timeout", "2s",
                    "modproxy.fetch.zip-timeout", "3s",
                    "modproxy.fetch.retries", "1",
                    "modproxy.fetch.retry-delay", "10ms",
                    "modproxy.fetch.list-ttl", "1s");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(upstreams, new TestInjector.AnnotatedAndMatchesType(Inject.class, Upstreams.class));
    }

    @Override
    public void stop() {
        if (upstreams != null) {
            upstreams.close();
        }
    }
}
