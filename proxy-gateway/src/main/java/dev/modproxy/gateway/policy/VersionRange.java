package dev.modproxy.gateway.policy;

import dev.modproxy.gomod.semver.Semver;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of versions named in a deny rule. Syntax:
 * <pre>
 *   range       = "*" | alternative { "||" alternative }
 *   alternative = comparison { (" " | ",") comparison }      all must hold
 *   comparison  = [ "=" | "<" | "<=" | ">" | ">=" ] semver    no operator means "="
 * </pre>
 * Versions are Go semantic versions with the {@code v} ({@code v1.2.3}, {@code v1.2.3-rc.1},
 * pseudo-versions, {@code +incompatible}); they compare with the semver package's order, so
 * {@code <v1.2.3} holds every pre-release and pseudo-version below v1.2.3. An empty or absent
 * range is {@code *}: every version.
 */
public record VersionRange(String text, List<List<Comparison>> alternatives) {

    public static final VersionRange ALL = new VersionRange("*", List.of());

    enum Op { EQ, LT, LE, GT, GE }

    record Comparison(Op op, String version) {
        boolean holds(String v) {
            int c = Semver.compare(v, version);
            return switch (op) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
    }

    public boolean isAll() {
        return alternatives.isEmpty();
    }

    public boolean contains(String version) {
        if (isAll()) {
            return true;
        }
        if (!Semver.isValid(version)) {
            return false;
        }
        return alternatives.stream().anyMatch(all -> all.stream().allMatch(c -> c.holds(version)));
    }

    public static VersionRange parse(String text) {
        if (text == null || text.isBlank() || text.strip().equals("*")) {
            return ALL;
        }
        if (text.length() > 1000) {
            throw new IllegalArgumentException("version range longer than 1000 characters");
        }
        List<List<Comparison>> alternatives = new ArrayList<>();
        for (String alt : text.split("\\|\\|", -1)) {
            List<Comparison> all = new ArrayList<>();
            for (String token : alt.strip().split("[\\s,]+")) {
                if (!token.isEmpty()) {
                    all.add(comparison(token));
                }
            }
            if (all.isEmpty()) {
                throw new IllegalArgumentException("empty alternative in version range \"" + text + "\"");
            }
            alternatives.add(List.copyOf(all));
        }
        return new VersionRange(text.strip(), List.copyOf(alternatives));
    }

    private static Comparison comparison(String token) {
        Op op;
        String v;
        if (token.startsWith("<=")) {
            op = Op.LE;
            v = token.substring(2);
        } else if (token.startsWith(">=")) {
            op = Op.GE;
            v = token.substring(2);
        } else if (token.startsWith("<")) {
            op = Op.LT;
            v = token.substring(1);
        } else if (token.startsWith(">")) {
            op = Op.GT;
            v = token.substring(1);
        } else if (token.startsWith("=")) {
            op = Op.EQ;
            v = token.substring(1);
        } else {
            op = Op.EQ;
            v = token;
        }
        if (!Semver.isValid(v)) {
            throw new IllegalArgumentException("not a semantic version in version range: \"" + abbreviate(v) + "\"");
        }
        return new Comparison(op, v);
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public String toString() {
        return text;
    }
}
