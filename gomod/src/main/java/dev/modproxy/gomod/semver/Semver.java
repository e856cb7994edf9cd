package dev.modproxy.gomod.semver;

import dev.modproxy.gomod.text.GoText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Semantic version strings as the {@code go} command reads them (golang.org/x/mod/semver).
 *
 * <p>The rules:
 * <ul>
 *   <li>A version is {@code vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]}; the leading {@code v}
 *       is required.
 *   <li>MAJOR, MINOR and PATCH are decimal integers without leading zeros ({@code 0} itself is
 *       fine, {@code 01} is not). They may be arbitrarily long: they are compared as digit
 *       strings, never converted to numbers, so {@code v1.2.99999999999999999} is valid.
 *   <li>{@code vMAJOR} and {@code vMAJOR.MINOR} are shorthands for {@code vMAJOR.0.0} and
 *       {@code vMAJOR.MINOR.0}; a shorthand may carry neither a prerelease nor a build suffix.
 *   <li>PRERELEASE and BUILD are non-empty series of non-empty, dot-separated identifiers made of
 *       {@code [0-9A-Za-z-]}. An all-digit prerelease identifier must not have a leading zero;
 *       build identifiers have no such rule.
 *   <li>The canonical form fills in a missing {@code .MINOR}/{@code .PATCH} and drops the build
 *       suffix. Two versions compare equal exactly when their canonical forms are equal; the
 *       canonical form of an invalid version is the empty string.
 *   <li>Precedence: MAJOR, MINOR, PATCH numerically; then a version without prerelease is greater
 *       than one with; prereleases compare identifier by identifier, numeric identifiers
 *       numerically and below alphanumeric ones, others in ASCII order, and a longer series wins
 *       when one is a prefix of the other. Build metadata never matters.
 *   <li>Every invalid string is less than every valid one, and invalid strings are equal to each
 *       other.
 * </ul>
 *
 * <p>All methods are total: invalid input gives {@code false}, the empty string or the ordering
 * above, never an exception.
 */
public final class Semver {

    /**
     * The order of {@code semver.Sort}: by {@link #compare}, ties (such as {@code v1} and
     * {@code v1.0.0}, or two invalid strings) broken by the plain string order of Go (bytewise
     * UTF-8, which is code point order), so the result does not depend on the input order.
     */
    public static final Comparator<String> BY_VERSION =
            ((Comparator<String>) Semver::compare).thenComparing(GoText::compare);

    private Semver() {
    }

    /** Reports whether {@code v} is a valid semantic version string. */
    public static boolean isValid(String v) {
        return ParsedVersion.parse(v) != null;
    }

    /**
     * The canonical form of {@code v}: missing {@code .MINOR} or {@code .PATCH} filled in, build
     * metadata dropped; the empty string if {@code v} is invalid.
     */
    public static String canonical(String v) {
        ParsedVersion p = ParsedVersion.parse(v);
        if (p == null) {
            return "";
        }
        if (!p.build().isEmpty()) {
            return v.substring(0, v.length() - p.build().length());
        }
        return v + p.shortFill();
    }

    /** The major version prefix, {@code "v2"} for {@code "v2.1.0"}; empty if invalid. */
    public static String major(String v) {
        ParsedVersion p = ParsedVersion.parse(v);
        return p == null ? "" : v.substring(0, 1 + p.major().length());
    }

    /** The {@code major.minor} prefix, {@code "v2.1"} for {@code "v2.1.0"}; empty if invalid. */
    public static String majorMinor(String v) {
        ParsedVersion p = ParsedVersion.parse(v);
        if (p == null) {
            return "";
        }
        int i = 1 + p.major().length();
        int j = i + 1 + p.minor().length();
        if (j <= v.length() && v.charAt(i) == '.' && v.substring(i + 1, j).equals(p.minor())) {
            return v.substring(0, j);
        }
        return v.substring(0, i) + "." + p.minor();
    }

    /** The prerelease suffix with its dash, {@code "-pre"} for {@code "v2.1.0-pre+meta"}. */
    public static String prerelease(String v) {
        ParsedVersion p = ParsedVersion.parse(v);
        return p == null ? "" : p.prerelease();
    }

    /** The build suffix with its plus, {@code "+meta"} for {@code "v2.1.0+meta"}. */
    public static String build(String v) {
        ParsedVersion p = ParsedVersion.parse(v);
        return p == null ? "" : p.build();
    }

    /**
     * Compares by semantic version precedence: {@code -1}, {@code 0} or {@code +1}. Invalid
     * versions are less than valid ones and equal to each other.
     */
    public static int compare(String v, String w) {
        ParsedVersion pv = ParsedVersion.parse(v);
        ParsedVersion pw = ParsedVersion.parse(w);
        if (pv == null || pw == null) {
            return pv == pw ? 0 : pv == null ? -1 : +1;
        }
        return pv.compareTo(pw);
    }

    /**
     * Canonicalizes both arguments and returns the one that compares greater ({@code w} when they
     * are equal), as x/mod's deprecated {@code semver.Max} does.
     */
    public static String max(String v, String w) {
        String cv = canonical(v);
        String cw = canonical(w);
        return compare(cv, cw) > 0 ? cv : cw;
    }

    /** Sorts {@code list} in place by {@link #BY_VERSION}. */
    public static void sort(List<String> list) {
        list.sort(BY_VERSION);
    }

    /** A new list holding {@code versions} in {@link #BY_VERSION} order. */
    public static List<String> sorted(Collection<String> versions) {
        List<String> list = new ArrayList<>(versions);
        sort(list);
        return list;
    }

    /**
     * Reports whether {@code v} is valid and carries the build suffix {@code +incompatible}, the
     * mark of a v2+ version of a module without a go.mod.
     */
    public static boolean isIncompatible(String v) {
        return build(v).equals("+incompatible");
    }
}
