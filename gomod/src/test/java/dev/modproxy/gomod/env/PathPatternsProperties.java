package dev.modproxy.gomod.env;


import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Prefix patterns on random globs and paths: a glob matches a path when it matches as many leading elements, a list when one entry does; path.Match agrees with a regex translation. */
class PathPatternsProperties {

    /** Path elements over a tiny alphabet, so that globs and paths often meet. */
    @Provide
    Arbitrary<String> element() {
        return Arbitraries.strings().withChars("ab.").ofMinLength(1).ofMaxLength(3);
    }

    /** Glob elements: literals mixed with '*', '?' and small classes. */
    @Provide
    Arbitrary<String> globElement() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("a", "b", ".", "*", "?", "[ab]", "[^a]", "[a-b]"));
        return piece.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l));
    }

    @Property
    boolean agreesWithElementPrefixReference(
            @ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("globElement") String> glob,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("element") String> path) {
        String pattern = String.join("/", glob);
        String target = String.join("/", path);
        boolean reference = path.size() >= glob.size()
                && GlobMatch.matches(pattern, String.join("/", path.subList(0, glob.size())));
        return new PathPatterns(pattern).matches(target) == reference;
    }

    @Property
    boolean listMatchesIffSomeEntryMatches(
            @ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("globElement") String> globs,
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("element") String> path) {
        String target = String.join("/", path);
        boolean any = globs.stream().anyMatch(g -> new PathPatterns(g).matches(target));
        return new PathPatterns(String.join(",", globs)).matches(target) == any;
    }

    /**
     * An independent oracle: the generated glob pieces translated to a regular expression.
     * Only classes that cannot match '/' are generated: Go's matcher never revisits an earlier
     * star, so with a class such as [^a] matching '/' it is not a regular-language matcher
     * (path.Match("*[^a]*", "b/a") is false; see glob-match.tsv).
     */
    @Property
    boolean globMatchAgreesWithRegexTranslation(
            @ForAll @Size(min = 1, max = 4) List<@net.jqwik.api.From("globPiece") String> pieces,
            @ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("element") String> path) {
        String glob = String.join("", pieces);
        StringBuilder regex = new StringBuilder();
        for (String p : pieces) {
            regex.append(switch (p) {
                case "*" -> "[^/]*";
                case "?" -> "[^/]";
                case "." -> "\\.";
                case "/" -> "/";
                case "[^a/]" -> "[^a/]";
                default -> p;
            });
        }
        String name = String.join("/", path);
        return GlobMatch.matches(glob, name) == name.matches(regex.toString());
    }

    @Provide
    Arbitrary<String> globPiece() {
        return Arbitraries.of("a", "b", ".", "/", "*", "?", "[ab]", "[^a/]", "[a-b]");
    }

    @Property
    boolean literalGlobsMatchExactly(@ForAll("element") String a, @ForAll("element") String b) {
        return GlobMatch.matches(a, b) == a.equals(b);
    }
}
