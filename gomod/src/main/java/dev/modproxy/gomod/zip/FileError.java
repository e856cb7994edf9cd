package dev.modproxy.gomod.zip;

import java.util.Objects;

/** A file left out of a module zip, or that makes it invalid, with the reason in x/mod's words. */
public record FileError(String path, String reason) {

    public FileError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code path: reason}, as x/mod prints a FileError. */
    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
