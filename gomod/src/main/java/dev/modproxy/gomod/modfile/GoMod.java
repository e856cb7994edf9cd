package dev.modproxy.gomod.modfile;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoQuote;
import dev.modproxy.gomod.text.GoText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a go.mod file says, read like x/mod's {@code modfile.Parse} / {@code ParseLax} with no
 * version fixer (the way the {@code go} command reads the go.mod files of dependencies).
 *
 * <p>Directives ({@link DirectiveReader} has the rules of each):
 * <ul>
 *   <li>{@code module path} — at most once; a {@code Deprecated:} paragraph in its comments
 *       is the deprecation message.</li>
 *   <li>{@code go 1.N} — at most once.</li>
 *   <li>{@code require path version} and {@code exclude path version}; a
 *       {@code // indirect} suffix comment marks an indirect requirement.</li>
 *   <li>{@code replace path [version] => path [version]}.</li>
 *   <li>{@code retract version} or {@code retract [low, high]}; the comments on the line
 *       (or on its block) are the rationale.</li>
 * </ul>
 * {@code module}, {@code require}, {@code exclude}, {@code replace} and {@code retract} may
 * also be factored into blocks. The strict reader rejects unknown directives and blocks; the
 * lax reader ignores them and also ignores {@code exclude} and {@code replace}, which only
 * matter in the main module, and any malformed {@code retract}.
 *
 * <p>Errors are reported as x/mod words them ({@code go.mod:3: unknown directive: foo},
 * {@code go.mod:2:5: unexpected input character '\x01'}). Where x/mod lists several errors
 * the message is the first one, and x/mod's two-line replace usage text is put on one line.
 *
 * @param modulePath the module path, "" if there is no module directive
 * @param deprecated the deprecation message, "" if none
 * @param goVersion  the go directive's version, "" if there is none
 */
public record GoMod(String modulePath, String deprecated, String goVersion, List<Require> requires,
                    List<Exclude> excludes, List<Replace> replaces, List<Retract> retracts) {

    /** A {@code require} directive. */
    public record Require(String path, String version, boolean indirect) {
    }

    /** An {@code exclude} directive. */
    public record Exclude(String path, String version) {
    }

    /** A {@code replace} directive; the versions are "" where none was given. */
    public record Replace(String oldPath, String oldVersion, String newPath, String newVersion) {
    }

    /**
     * A closed interval of versions. Retracted versions are taken as written in the file
     * (x/mod does not canonicalize them when reading without a version fixer).
     */
    public record VersionInterval(String low, String high) {
        public VersionInterval {
            Objects.requireNonNull(low, "low");
            Objects.requireNonNull(high, "high");
        }
    }

    /** A {@code retract} directive with its rationale ("" if there is none). */
    public record Retract(VersionInterval interval, String rationale) {
    }

    public GoMod {
        Objects.requireNonNull(modulePath, "modulePath");
        Objects.requireNonNull(deprecated, "deprecated");
        Objects.requireNonNull(goVersion, "goVersion");
        requires = List.copyOf(requires);
        excludes = List.copyOf(excludes);
        replaces = List.copyOf(replaces);
        retracts = List.copyOf(retracts);
    }

    /** {@code modfile.Parse(filename, data, nil)}: all directives are checked. */
    public static GoMod parse(String filename, byte[] data) throws GoModException {
        return read(filename, data, true);
    }

    /** {@code modfile.ParseLax(filename, data, nil)}: how dependencies' go.mod files are read. */
    public static GoMod parseLax(String filename, byte[] data) throws GoModException {
        return read(filename, data, false);
    }

    private static GoMod read(String filename, byte[] data, boolean strict) throws GoModException {
        String text = new String(data, StandardCharsets.UTF_8);
        Syntax.File syntax;
        try {
            syntax = SyntaxReader.read(filename, text);
        } catch (SyntaxReader.SyntaxError e) {
            throw new GoModException(GoModException.Kind.INVALID_MOD,
                    DirectiveReader.position(filename, e.pos) + e.getMessage());
        }
        return new DirectiveReader(filename, strict).read(syntax);
    }

    /**
     * {@code modfile.ModulePath}: the module path from go.mod text, tolerating unrelated
     * problems; "" if there is none. The first line that, with {@code //} comments cut and
     * white space trimmed, is {@code module} followed by white space and something else gives
     * the path — unquoted if it starts with a quote (a bad quoted string gives "").
     */
    public static String modulePath(byte[] mod) {
        String text = new String(mod, StandardCharsets.UTF_8);
        for (String line : text.split("\n", -1)) {
            int comment = line.indexOf("//");
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            line = GoText.trimSpace(line);
            if (!line.startsWith("module")) {
                continue;
            }
            String rest = line.substring("module".length());
            String path = GoText.trimSpace(rest);
            if (path.length() == rest.length() || path.isEmpty()) {
                continue;
            }
            if (path.charAt(0) == '"' || path.charAt(0) == '`') {
                return GoQuote.unquote(path).orElse("");
            }
            return path;
        }
        return "";
    }

    /**
     * The first retraction whose interval holds {@code version}, under the given version order
     * (the semver package's comparison), to hide retracted versions from listings.
     */
    public Optional<Retract> retractionOf(String version, java.util.Comparator<String> semverOrder) {
        return retracts.stream()
                .filter(r -> semverOrder.compare(r.interval().low(), version) <= 0
                        && semverOrder.compare(version, r.interval().high()) <= 0)
                .findFirst();
    }
}
