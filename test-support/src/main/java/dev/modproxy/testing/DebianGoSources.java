package dev.modproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real Go module sources from Debian's {@code golang-*-dev} packages (under
 * /usr/share/gocode/src), with the upstream version each package ships, so tests can publish
 * real modules at real versions. CI installs the packages named in {@link #PACKAGES}.
 */
public final class DebianGoSources {

    /** A module source directory and the version Debian packaged. */
    public record Source(String modulePath, String version, Path dir, String debianPackage) {
    }

    /** Packages and the module path each provides (CI's .ci/run installs them). */
    public static final List<String[]> PACKAGES = List.of(
            new String[] {"golang-github-pkg-errors-dev", "github.com/pkg/errors"},
            new String[] {"golang-github-google-go-cmp-dev", "github.com/google/go-cmp"},
            new String[] {"golang-github-davecgh-go-spew-dev", "github.com/davecgh/go-spew"},
            new String[] {"golang-github-pmezard-go-difflib-dev", "github.com/pmezard/go-difflib"},
            new String[] {"golang-github-stretchr-objx-dev", "github.com/stretchr/objx"},
            new String[] {"golang-gopkg-yaml.v3-dev", "gopkg.in/yaml.v3"},
            new String[] {"golang-github-stretchr-testify-dev", "github.com/stretchr/testify"},
            new String[] {"golang-github-burntsushi-toml-dev", "github.com/BurntSushi/toml"},
            new String[] {"golang-github-google-uuid-dev", "github.com/google/uuid"});

    private static final Path ROOT = Path.of("/usr/share/gocode/src");
    private static final Pattern UPSTREAM_VERSION = Pattern.compile("^(?:\\d+:)?(\\d+\\.\\d+\\.\\d+)");

    private DebianGoSources() {
    }

    /** Every package of {@link #PACKAGES}; fails if one is not installed. */
    public static List<Source> all() throws IOException, InterruptedException {
        List<Source> out = new ArrayList<>();
        for (String[] p : PACKAGES) {
            Path dir = ROOT.resolve(p[1]);
            if (!Files.isDirectory(dir)) {
                throw new AssertionError(p[1] + " is missing: install " + p[0] + " (see .ci/run)");
            }
            out.add(new Source(p[1], "v" + upstreamVersion(p[0]), dir, p[0]));
        }
        return out;
    }

    private static String upstreamVersion(String pkg) throws IOException, InterruptedException {
        Process q = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", pkg).redirectErrorStream(true).start();
        String v = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (q.waitFor() != 0) {
            throw new AssertionError(pkg + " is not installed: " + v);
        }
        Matcher m = UPSTREAM_VERSION.matcher(v);
        if (!m.find()) {
            throw new AssertionError(pkg + " has no x.y.z upstream version: " + v);
        }
        return m.group(1);
    }
}
