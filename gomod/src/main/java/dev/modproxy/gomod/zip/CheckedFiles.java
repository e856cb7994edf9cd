package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which files of a tree or zip belong in a module zip: {@code valid} (in order), {@code omitted}
 * (left out on purpose, e.g. vendored or nested-module files) and {@code invalid} (they make the
 * zip unusable), each with x/mod's reason; {@code sizeError} is set when the total is too large.
 * Every input file lands in exactly one list (CheckDir lists omitted directories, not the files
 * below them).
 */
public record CheckedFiles(List<String> valid, List<FileError> omitted, List<FileError> invalid,
                           Optional<String> sizeError) {

    public CheckedFiles {
        valid = List.copyOf(valid);
        omitted = List.copyOf(omitted);
        invalid = List.copyOf(invalid);
        sizeError = sizeError == null ? Optional.empty() : sizeError;
    }

    /**
     * The error x/mod's {@code CheckedFiles.Err} reports: the size error first, else the invalid
     * files. x/mod joins invalid files with newlines; our messages are one line, so they are
     * joined with {@code "; "}.
     */
    public Optional<GoModException> error() {
        if (sizeError.isPresent()) {
            return Optional.of(new GoModException(Kind.TOO_LARGE, sizeError.get()));
        }
        if (!invalid.isEmpty()) {
            return Optional.of(new GoModException(Kind.INVALID_ZIP,
                    invalid.stream().map(FileError::toString).collect(Collectors.joining("; "))));
        }
        return Optional.empty();
    }

    /** Throws {@link #error()} if there is one. */
    public void throwIfInvalid() throws GoModException {
        Optional<GoModException> e = error();
        if (e.isPresent()) {
            throw e.get();
        }
    }

    public boolean isValid() {
        return error().isEmpty();
    }
}
