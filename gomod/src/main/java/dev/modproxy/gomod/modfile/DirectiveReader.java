package dev.modproxy.gomod.modfile;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.modfile.Syntax.Comment;
import dev.modproxy.gomod.modfile.Syntax.Line;
import dev.modproxy.gomod.modfile.Syntax.LineBlock;
import dev.modproxy.gomod.modfile.Syntax.Node;
import dev.modproxy.gomod.modfile.Syntax.Pos;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.module.PathVersionSplit;
import dev.modproxy.gomod.text.GoQuote;
import dev.modproxy.gomod.text.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns go.mod statements into directives with the checks of x/mod's {@code rule.go}
 * (no version fixer).
 *
 * <p>Rules per directive:
 * <ul>
 *   <li>{@code go}: once, one argument matching {@code 1.N} (no leading zeros); the lax reader
 *       also takes {@code [v]1.N} followed by a non-digit suffix (e.g. {@code 1.2.3},
 *       {@code 1.2rc1}) and keeps {@code 1.N}.</li>
 *   <li>{@code module}: once, one argument. Its comments' first paragraph starting
 *       {@code Deprecated:} gives the deprecation.</li>
 *   <li>{@code require}/{@code exclude}: {@code path version}; the version must be valid
 *       semver and is stored canonical; the path's major-version suffix must agree with it.</li>
 *   <li>{@code replace}: {@code old [v] => new [v]}; a new path without version must be a
 *       directory path ({@code ./ ../ /}, Windows forms too), one with version must not be.</li>
 *   <li>{@code retract}: {@code v} or {@code [low, high]}, nothing after (strict).</li>
 *   <li>Arguments may be Go-quoted strings; unquoted ones may not contain quotes.</li>
 * </ul>
 */
final class DirectiveReader {

    private static final Pattern GO_VERSION = Pattern.compile("([1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    private static final Pattern LAX_GO_VERSION =
            Pattern.compile("v?(([1-9][0-9]*)\\.(0|[1-9][0-9]*))([^0-9].*)", Pattern.DOTALL);
    private static final Pattern DEPRECATED =
            Pattern.compile("(?s)(?:^|\n\n)Deprecated: *(.*?)(?:\\z|\n\n)");
    private static final String REPLACE_USAGE = "usage: %s module/path [v1.2.3] => other/module v1.4 "
            + " or %s module/path [v1.2.3] => ../local/directory";

    /** A directive error: x/mod's text without the file position. */
    private static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private final String filename;
    private final boolean strict;
    private final List<String> errors = new ArrayList<>();

    private String modulePath;
    private String deprecated = "";
    private String goVersion;
    private final List<GoMod.Require> requires = new ArrayList<>();
    private final List<GoMod.Exclude> excludes = new ArrayList<>();
    private final List<GoMod.Replace> replaces = new ArrayList<>();
    private final List<GoMod.Retract> retracts = new ArrayList<>();

    DirectiveReader(String filename, boolean strict) {
        this.filename = filename;
        this.strict = strict;
    }

    /** x/mod's position prefix: {@code file:line:col: }, or {@code file:line: } at column 1. */
    static String position(String filename, Pos pos) {
        if (pos.lineRune() > 1) {
            return filename + ":" + pos.line() + ":" + pos.lineRune() + ": ";
        }
        if (pos.line() > 0) {
            return filename + ":" + pos.line() + ": ";
        }
        return filename.isEmpty() ? "" : filename + ": ";
    }

    GoMod read(Syntax.File file) throws GoModException {
        for (Node stmt : file.statements) {
            if (stmt instanceof Line line) {
                add(null, line, line.tokens.get(0), line.tokens.subList(1, line.tokens.size()));
            } else if (stmt instanceof LineBlock block) {
                String verb = block.tokens.get(0);
                boolean known = block.tokens.size() == 1 && List.of("module", "require", "exclude",
                        "replace", "retract").contains(verb);
                if (!known) {
                    if (strict) {
                        errors.add(position(filename, block.start()) + "unknown block type: "
                                + String.join(" ", block.tokens));
                    }
                    continue;
                }
                for (Line l : block.lines) {
                    add(block, l, verb, l.tokens);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new GoModException(GoModException.Kind.INVALID_MOD, errors.get(0));
        }
        return new GoMod(modulePath == null ? "" : modulePath, deprecated,
                goVersion == null ? "" : goVersion, requires, excludes, replaces, retracts);
    }

    private void add(LineBlock block, Line line, String verb, List<String> args) {
        if (!strict && !List.of("go", "module", "retract", "require").contains(verb)) {
            return;
        }
        try {
            switch (verb) {
                case "go" -> goDirective(args);
                case "module" -> moduleDirective(block, line, args);
                case "require", "exclude" -> requireOrExclude(line, verb, args);
                case "replace" -> replace(verb, args);
                case "retract" -> retract(block, line, args);
                default -> throw new Problem("unknown directive: " + verb);
            }
        } catch (Problem p) {
            errors.add(position(filename, line.start()) + p.getMessage());
        }
    }

    private void goDirective(List<String> args) throws Problem {
        if (goVersion != null) {
            throw new Problem("repeated go statement");
        }
        if (args.size() != 1) {
            throw new Problem("go directive expects exactly one argument");
        }
        String v = args.get(0);
        if (!GO_VERSION.matcher(v).matches()) {
            Matcher lax = LAX_GO_VERSION.matcher(v);
            if (strict || !lax.matches()) {
                throw new Problem("invalid go version '" + v + "': must match format 1.23");
            }
            v = lax.group(1);
        }
        goVersion = v;
    }

    private void moduleDirective(LineBlock block, Line line, List<String> args) throws Problem {
        if (modulePath != null) {
            throw new Problem("repeated module statement");
        }
        modulePath = "";
        Matcher m = DEPRECATED.matcher(directiveComment(block, line));
        deprecated = m.find() ? m.group(1) : "";
        if (args.size() != 1) {
            throw new Problem("usage: module module/path");
        }
        modulePath = quotedArg(args.get(0));
    }

    private void requireOrExclude(Line line, String verb, List<String> args) throws Problem {
        if (args.size() != 2) {
            throw new Problem("usage: " + verb + " module/path v1.2.3");
        }
        String path = quotedArg(args.get(0));
        String v = version(verb, path, args.get(1));
        PathVersionSplit split = ModulePaths.splitPathVersion(path);
        if (!split.ok()) {
            throw new Problem("invalid module path");
        }
        checkPathMajor(verb, path, v, split.pathMajor());
        if (verb.equals("require")) {
            requires.add(new GoMod.Require(path, v, isIndirect(line)));
        } else {
            excludes.add(new GoMod.Exclude(path, v));
        }
    }

    private static void checkPathMajor(String verb, String path, String v, String major) throws Problem {
        try {
            ModulePaths.checkPathMajor(v, major);
        } catch (GoModException e) {
            throw new Problem(verb + " " + path + ": " + e.getMessage());
        }
    }

    private void replace(String verb, List<String> args) throws Problem {
        int arrow = args.size() >= 2 && args.get(1).equals("=>") ? 1 : 2;
        if (args.size() < arrow + 2 || args.size() > arrow + 3 || !args.get(arrow).equals("=>")) {
            throw new Problem(String.format(REPLACE_USAGE, verb, verb));
        }
        String oldPath = quotedArg(args.get(0));
        PathVersionSplit split = ModulePaths.splitPathVersion(oldPath);
        if (!split.ok()) {
            throw new Problem(verb + " " + oldPath + ": invalid module path");
        }
        String major = split.pathMajor();
        String oldVersion = "";
        if (arrow == 2) {
            oldVersion = version(verb, oldPath, args.get(1));
            checkPathMajor(verb, oldPath, oldVersion, major);
        }
        String newPath = quotedArg(args.get(arrow + 1));
        String newVersion = "";
        if (args.size() == arrow + 2) {
            if (!isDirectoryPath(newPath)) {
                if (newPath.contains("@")) {
                    throw new Problem("replacement module must match format 'path version', not 'path@version'");
                }
                throw new Problem("replacement module without version must be directory path"
                        + " (rooted or starting with ./ or ../)");
            }
            if (newPath.contains("\\")) {
                throw new Problem("replacement directory appears to be Windows path (on a non-windows system)");
            }
        } else {
            newVersion = version(verb, newPath, args.get(arrow + 2));
            if (isDirectoryPath(newPath)) {
                throw new Problem("replacement module directory path " + GoQuote.quote(newPath)
                        + " cannot have version");
            }
        }
        replaces.add(new GoMod.Replace(oldPath, oldVersion, newPath, newVersion));
    }

    private void retract(LineBlock block, Line line, List<String> args) throws Problem {
        String rationale = directiveComment(block, line);
        List<String> rest = new ArrayList<>(args);
        GoMod.VersionInterval interval;
        try {
            interval = versionInterval(rest);
        } catch (Problem p) {
            if (strict) {
                throw p;
            }
            return;
        }
        if (!rest.isEmpty() && strict) {
            throw new Problem("unexpected token after version: " + GoQuote.quote(rest.get(0)));
        }
        retracts.add(new GoMod.Retract(interval, rationale));
    }

    /** Consumes {@code v} or {@code [ low , high ]} from the front of toks. */
    private static GoMod.VersionInterval versionInterval(List<String> toks) throws Problem {
        if (toks.isEmpty() || toks.get(0).equals("(")) {
            throw new Problem("expected '[' or version");
        }
        if (!toks.get(0).equals("[")) {
            String v = retractVersion(toks.remove(0));
            return new GoMod.VersionInterval(v, v);
        }
        toks.remove(0);
        if (toks.isEmpty()) {
            throw new Problem("expected version after '['");
        }
        String low = retractVersion(toks.remove(0));
        if (toks.isEmpty() || !toks.get(0).equals(",")) {
            throw new Problem("expected ',' after version");
        }
        toks.remove(0);
        if (toks.isEmpty()) {
            throw new Problem("expected version after ','");
        }
        String high = retractVersion(toks.remove(0));
        if (toks.isEmpty() || !toks.get(0).equals("]")) {
            throw new Problem("expected ']' after version");
        }
        toks.remove(0);
        return new GoMod.VersionInterval(low, high);
    }

    /** Retract versions are only unquoted: x/mod applies no fixer to them when reading. */
    private static String retractVersion(String tok) throws Problem {
        try {
            return unquoted(tok);
        } catch (Problem p) {
            throw new Problem("retract: version " + GoQuote.quote(tok) + " invalid: " + p.getMessage());
        }
    }

    /** A semver argument, returned canonical. */
    private static String version(String verb, String path, String tok) throws Problem {
        String directive = path.isEmpty() ? verb + ": " : verb + " " + path + ": ";
        String t;
        try {
            t = unquoted(tok);
        } catch (Problem p) {
            throw new Problem(directive + "version " + GoQuote.quote(tok) + " invalid: " + p.getMessage());
        }
        String cv = ModulePaths.canonicalVersion(t);
        if (cv.isEmpty()) {
            throw new Problem(directive + "version " + GoQuote.quote(t) + " invalid: must be of the form v1.2.3");
        }
        return cv;
    }

    /** A path-like argument: {@link #unquoted} with x/mod's "invalid quoted string" prefix. */
    private static String quotedArg(String tok) throws Problem {
        try {
            return unquoted(tok);
        } catch (Problem p) {
            throw new Problem("invalid quoted string: " + p.getMessage());
        }
    }

    /** {@code parseString}: a quoted argument is unquoted; an unquoted one may hold no quotes. */
    private static String unquoted(String tok) throws Problem {
        if (tok.startsWith("\"")) {
            return GoQuote.unquote(tok).orElseThrow(() -> new Problem("invalid syntax"));
        }
        if (tok.indexOf('"') >= 0 || tok.indexOf('\'') >= 0 || tok.indexOf('`') >= 0) {
            throw new Problem("unquoted string cannot contain quote");
        }
        return tok;
    }

    private static boolean isDirectoryPath(String ns) {
        return ns.startsWith("./") || ns.startsWith("../") || ns.startsWith("/")
                || ns.startsWith(".\\") || ns.startsWith("..\\") || ns.startsWith("\\")
                || ns.length() >= 2 && (ns.charAt(0) >= 'A' && ns.charAt(0) <= 'Z'
                || ns.charAt(0) >= 'a' && ns.charAt(0) <= 'z') && ns.charAt(1) == ':';
    }

    private static boolean isIndirect(Line line) {
        if (line.comments.suffix.isEmpty()) {
            return false;
        }
        String token = line.comments.suffix.get(0).token();
        List<String> f = GoText.fields(token.startsWith("//") ? token.substring(2) : token);
        return f.size() == 1 && f.get(0).equals("indirect") || f.size() > 1 && f.get(0).equals("indirect;");
    }

    /**
     * The text of a directive's comments, one line per comment without {@code //}, trimmed;
     * taken from the enclosing block if the line itself has none.
     */
    private static String directiveComment(LineBlock block, Line line) {
        Syntax.Comments c = line.comments;
        if (block != null && c.before.isEmpty() && c.suffix.isEmpty()) {
            c = block.comments;
        }
        List<String> lines = new ArrayList<>();
        for (List<Comment> group : List.of(c.before, c.suffix)) {
            for (Comment com : group) {
                if (com.token().startsWith("//")) {
                    lines.add(GoText.trimSpace(com.token().substring(2)));
                }
            }
        }
        return String.join("\n", lines);
    }
}
