package dev.modproxy.gomod.zip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * One entry of a module's file tree, wherever the tree lives (a directory, a git tree, a zip).
 *
 * <p>{@link #path()} is slash-separated and relative to the module root. {@link #type()} and
 * {@link #size()} describe the entry itself, not what a symbolic link points to, and are not
 * expected to touch the content; {@link #open()} is called only for regular files that end up
 * in a zip, and at most once each.
 */
public interface ModuleFile {

    /** What kind of file system object an entry is. */
    enum Type { REGULAR, DIRECTORY, SYMLINK, OTHER }

    /** Slash-separated path from the module root. */
    String path();

    /** The kind of the entry itself (for a link: SYMLINK). */
    Type type();

    /**
     * The size in bytes the entry declares. Zip creation refuses content longer than this. A
     * negative value stands for a size beyond {@code Long.MAX_VALUE} and is always too large.
     */
    long size();

    /** The content of a regular file. */
    InputStream open() throws IOException;

    /** A regular file with the given content, for trees built in memory. */
    static ModuleFile of(String path, byte[] content) {
        Objects.requireNonNull(path, "path");
        byte[] copy = content.clone();
        return new ModuleFile() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public Type type() {
                return Type.REGULAR;
            }

            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public String toString() {
                return path;
            }
        };
    }
}
