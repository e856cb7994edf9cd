package dev.modproxy.gomod.zip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The txtar vectors of golang.org/x/mod/zip, read where Debian's golang-golang-x-mod-dev puts
 * them. A missing directory fails the test: the vectors are the specification.
 */
final class XmodTestdata {

    static final Path ROOT = Path.of("/usr/share/gocode/src/golang.org/x/mod/zip/testdata");

    private XmodTestdata() {
    }

    /** One argument per {@code *.txt} in the named directory, named after the file. */
    static Stream<Arguments> vectors(String dir) {
        Path d = ROOT.resolve(dir);
        if (!Files.isDirectory(d)) {
            throw new IllegalStateException("x/mod zip test vectors missing: " + d
                    + " (install the Debian package golang-golang-x-mod-dev)");
        }
        try (Stream<Path> list = Files.list(d)) {
            List<Path> files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalStateException("no x/mod zip test vectors in " + d);
            }
            return files.stream().map(p -> Arguments.of(Named.of(p.getFileName().toString(), p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
