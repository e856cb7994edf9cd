package dev.modproxy.gateway.chain;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A configuration file (users, tokens, policy rules) read again when it changes, without a
 * restart. A Kubernetes Secret or ConfigMap mount swaps a symlink, so the file is judged by
 * its modification time and size, looked at no more often than {@code checkNanos}.
 *
 * <p>A file that fails to parse keeps the last good content (and says why in the log): a typo
 * pushed to a ConfigMap must not open or close the proxy. The first read has no last good
 * content, so there a bad file is fatal: the service refuses to start with a bad setting.
 */
public final class WatchedFile<T> {

    private static final Logger LOG = Logger.getLogger(WatchedFile.class);

    /** Turns the file's bytes into its content; throws with a one-line reason. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(byte[] bytes) throws Exception;
    }

    private final Path path;
    private final Parser<T> parser;
    private final long checkNanos;
    private final LongSupplier clock;
    private volatile T current;
    private volatile String stamp;
    private volatile long checkedAt;

    public WatchedFile(Path path, Parser<T> parser, long checkNanos, LongSupplier clock) {
        this.path = Objects.requireNonNull(path);
        this.parser = parser;
        this.checkNanos = checkNanos;
        this.clock = clock;
        try {
            this.stamp = stamp();
            this.current = parser.parse(Files.readAllBytes(path));
        } catch (Exception e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
        this.checkedAt = clock.getAsLong();
    }

    /** The content, re-read first if the check interval passed and the file changed. */
    public T get() {
        long now = clock.getAsLong();
        if (now - checkedAt >= checkNanos) {
            checkedAt = now;
            reloadIfChanged();
        }
        return current;
    }

    private synchronized void reloadIfChanged() {
        try {
            String s = stamp();
            if (s.equals(stamp)) {
                return;
            }
            T parsed = parser.parse(Files.readAllBytes(path));
            current = parsed;
            stamp = s;
            LOG.infof("reloaded %s", path);
        } catch (Exception e) {
            LOG.errorf("%s: keeping the previous content, the new one is unusable: %s", path, e.getMessage());
        }
    }

    private String stamp() throws IOException {
        FileTime time = Files.getLastModifiedTime(path);
        return time.toMillis() + "/" + Files.size(path) + "/" + path.toRealPath();
    }
}
