package dev.modproxy.gomod.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads the test vector files under {@code src/test/resources}, the one reader every test
 * package uses.
 *
 * <p>Resource names are absolute on the class path ({@code "semver/versions.tsv"}; a leading
 * {@code /} is allowed). A missing resource fails the test rather than skipping it.
 *
 * <p>Tables ({@code .tsv}): one row a line, fields separated by single tabs (empty fields
 * kept); blank lines and lines starting with {@code #} are skipped. How a field encodes text
 * that a tab-separated line cannot hold is the file's own convention, one of those of
 * {@link Cells}, named in the file's header comment.
 */
public final class TestData {

    private TestData() {
    }

    /** The lines of a resource, decoded from UTF-8. */
    public static List<String> lines(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8).lines().toList();
    }

    /** The bytes of a resource. */
    public static byte[] bytes(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = TestData.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a table, each as its raw fields. */
    public static List<String[]> rows(String resource) {
        return lines(resource).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t", -1))
                .toList();
    }

    /** The rows of a table, each field passed through {@code cell}. */
    public static List<String[]> rows(String resource, UnaryOperator<String> cell) {
        return rows(resource).stream()
                .map(r -> Arrays.stream(r).map(cell).toArray(String[]::new))
                .toList();
    }

    /** The rows of a table as JUnit arguments, each field passed through {@code cell}. */
    public static Stream<Arguments> arguments(String resource, UnaryOperator<String> cell) {
        return rows(resource, cell).stream().map(r -> Arguments.of((Object[]) r));
    }
}
