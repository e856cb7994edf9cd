package dev.modproxy.internal;

import dev.modproxy.internal.ServiceCredential.Tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The service credential as a file, typically a mounted Kubernetes Secret: one token per line,
 * the current one first, the previous one after it during a rotation; blank lines and lines
 * starting with {@code #} are skipped.
 *
 * <p>The file is re-read when it changes, so a rotated Secret takes effect without a restart.
 * "Changed" is its identity, modification time or size (one {@code stat} per check, no timer):
 * Kubernetes replaces a Secret's files by swapping a symbolic link, which gives the path a new
 * file, and an edit in place changes the time. A file that is missing, unreadable or holds an
 * invalid token leaves no token: the service then refuses every internal call (and sends none)
 * until it is fixed. Each change of state is logged once, never the tokens.
 */
final class TokenFile implements Supplier<Tokens> {

    private static final System.Logger LOG = System.getLogger(TokenFile.class.getName());

    private record Snapshot(List<Object> stamp, Tokens tokens) {
    }

    private final Path path;
    private volatile Snapshot last;

    TokenFile(Path path) {
        this.path = path;
    }

    @Override
    public Tokens get() {
        List<Object> stamp = stamp();
        Snapshot s = last;
        if (s != null && s.stamp().equals(stamp)) {
            return s.tokens();
        }
        synchronized (this) {
            s = last;
            if (s != null && s.stamp().equals(stamp)) {
                return s.tokens();
            }
            Tokens t = read();
            if (s == null || !Objects.equals(t.problem(), s.tokens().problem()) || !t.tokens().equals(s.tokens().tokens())) {
                if (t.problem() != null) {
                    LOG.log(System.Logger.Level.WARNING, "service credential: {0}; every internal call is refused",
                            t.problem());
                } else {
                    LOG.log(System.Logger.Level.INFO, "service credential: token file {0} read, {1}", path,
                            t.tokens().size() == 1 ? "one token" : t.tokens().size() + " tokens (the first is sent, all are accepted)");
                }
            }
            last = new Snapshot(stamp, t);
            return t;
        }
    }

    private List<Object> stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return Arrays.asList("unreadable", e.toString());
        }
    }

    private Tokens read() {
        String where = "token file " + path;
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Tokens.none(where + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return Tokens.of(lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList(),
                where);
    }
}
