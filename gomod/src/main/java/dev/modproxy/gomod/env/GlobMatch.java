package dev.modproxy.gomod.env;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoUtf8;
import java.nio.charset.StandardCharsets;

/**
 * Shell-pattern matching with the exact semantics of Go's {@code path.Match}.
 *
 * <p>Pattern syntax:
 * <pre>
 *   pattern:  { term }
 *   term:     '*'                 any sequence of non-'/' characters
 *             '?'                 any single non-'/' character
 *             '[' [ '^' ] { character-range } ']'   a non-empty character class
 *             c                   the character c (c != '*', '?', '\\', '[')
 *             '\\' c              the character c
 *   character-range:
 *             c                   the character c (c != '\\', '-', ']')
 *             '\\' c              the character c
 *             lo '-' hi           any character between lo and hi inclusive
 * </pre>
 * The pattern must match the whole name. Literals compare bytes of the UTF-8 encoding, while
 * {@code ?} and character classes consume one whole UTF-8 encoded character, as in Go.
 *
 * <p>A malformed pattern is an error ({@code syntax error in pattern}, Go's
 * {@code ErrBadPattern}) — but, as in Go, only if the matcher gets far enough to see the
 * malformed part: when a match succeeds early the rest of the pattern is not scanned, yet
 * before answering "no match" the remaining pattern is always checked. Callers that ignore
 * bad patterns (like {@link PathPatterns}) use {@link #matches}.
 */
public final class GlobMatch {

    /** Go's {@code path.ErrBadPattern} text. */
    public static final String BAD_PATTERN = "syntax error in pattern";

    private GlobMatch() {
    }

    /** Reports whether {@code name} matches {@code pattern}; a bad pattern throws. */
    public static boolean match(String pattern, String name) throws GoModException {
        Result r = new Matcher(utf8(pattern), utf8(name)).run();
        if (r == Result.BAD_PATTERN) {
            throw new GoModException(GoModException.Kind.INVALID_SETTING, BAD_PATTERN);
        }
        return r == Result.MATCH;
    }

    /** Like {@link #match} but a bad pattern simply does not match. */
    public static boolean matches(String pattern, String name) {
        return new Matcher(utf8(pattern), utf8(name)).run() == Result.MATCH;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private enum Result { MATCH, NO_MATCH, BAD_PATTERN }

    /** Signals a malformed pattern from deep inside the chunk matcher. */
    private static final class BadPattern extends Exception {
        BadPattern() {
            super(null, null, false, false);
        }
    }

    /** One match attempt; positions index into the UTF-8 bytes of pattern and name. */
    private static final class Matcher {
        private final byte[] pat;
        private final byte[] name;

        Matcher(byte[] pat, byte[] name) {
            this.pat = pat;
            this.name = name;
        }

        Result run() {
            try {
                return matchAll() ? Result.MATCH : Result.NO_MATCH;
            } catch (BadPattern e) {
                return Result.BAD_PATTERN;
            }
        }

        private boolean matchAll() throws BadPattern {
            int p = 0;
            int n = 0;
            pattern:
            while (p < pat.length) {
                boolean star = false;
                while (p < pat.length && pat[p] == '*') {
                    p++;
                    star = true;
                }
                int chunkEnd = chunkEnd(p);
                if (star && p == chunkEnd) {
                    // A trailing star matches the rest of the name unless it has a '/'.
                    return indexOfSlash(n) < 0;
                }
                boolean lastChunk = chunkEnd == pat.length;
                int t = matchChunk(p, chunkEnd, n);
                if (t >= 0 && (t == name.length || !lastChunk)) {
                    n = t;
                    p = chunkEnd;
                    continue;
                }
                if (star) {
                    // The star may absorb more bytes, but never a '/'.
                    for (int i = n; i < name.length && name[i] != '/'; i++) {
                        t = matchChunk(p, chunkEnd, i + 1);
                        if (t >= 0) {
                            if (lastChunk && t < name.length) {
                                continue;
                            }
                            n = t;
                            p = chunkEnd;
                            continue pattern;
                        }
                    }
                }
                // Before answering "no", the rest of the pattern must still be well-formed.
                p = chunkEnd;
                while (p < pat.length) {
                    while (p < pat.length && pat[p] == '*') {
                        p++;
                    }
                    int end = chunkEnd(p);
                    matchChunk(p, end, name.length);
                    p = end;
                }
                return false;
            }
            return n == name.length;
        }

        private int indexOfSlash(int from) {
            for (int i = from; i < name.length; i++) {
                if (name[i] == '/') {
                    return i;
                }
            }
            return -1;
        }

        /** End of the star-free chunk starting at p (Go's scanChunk). */
        private int chunkEnd(int p) {
            boolean inRange = false;
            int i = p;
            for (; i < pat.length; i++) {
                byte c = pat[i];
                if (c == '\\') {
                    if (i + 1 < pat.length) {
                        i++;
                    }
                } else if (c == '[') {
                    inRange = true;
                } else if (c == ']') {
                    inRange = false;
                } else if (c == '*' && !inRange) {
                    break;
                }
            }
            return i;
        }

        /**
         * Matches pat[c..end) against the start of name[s..]; returns the name position after
         * the match, or -1. Keeps scanning the chunk after a failure so bad syntax is noticed.
         */
        private int matchChunk(int c, int end, int s) throws BadPattern {
            boolean failed = false;
            while (c < end) {
                if (!failed && s >= name.length) {
                    failed = true;
                }
                byte b = pat[c];
                if (b == '[') {
                    int r = -1;
                    if (!failed) {
                        r = GoUtf8.decode(name, s);
                        s += GoUtf8.width(name, s);
                    }
                    c++;
                    boolean negated = false;
                    if (c < end && pat[c] == '^') {
                        negated = true;
                        c++;
                    }
                    boolean match = false;
                    int nrange = 0;
                    while (true) {
                        if (c < end && pat[c] == ']' && nrange > 0) {
                            c++;
                            break;
                        }
                        c = escapedStart(c, end);
                        int lo = GoUtf8.decode(pat, c);
                        c = afterEscaped(c, end);
                        int hi = lo;
                        if (pat[c] == '-') {
                            c = escapedStart(c + 1, end);
                            hi = GoUtf8.decode(pat, c);
                            c = afterEscaped(c, end);
                        }
                        if (lo <= r && r <= hi) {
                            match = true;
                        }
                        nrange++;
                    }
                    if (match == negated) {
                        failed = true;
                    }
                } else if (b == '?') {
                    if (!failed) {
                        if (name[s] == '/') {
                            failed = true;
                        }
                        s += GoUtf8.width(name, s);
                    }
                    c++;
                } else {
                    if (b == '\\') {
                        c++;
                        if (c >= end) {
                            throw new BadPattern();
                        }
                    }
                    if (!failed) {
                        if (pat[c] != name[s]) {
                            failed = true;
                        }
                        s++;
                    }
                    c++;
                }
            }
            return failed ? -1 : s;
        }

        /** Go's getEsc, first half: validates and skips a backslash; returns the char start. */
        private int escapedStart(int c, int end) throws BadPattern {
            if (c >= end || pat[c] == '-' || pat[c] == ']') {
                throw new BadPattern();
            }
            if (pat[c] == '\\') {
                c++;
                if (c >= end) {
                    throw new BadPattern();
                }
            }
            if (GoUtf8.decode(pat, c) == GoUtf8.RUNE_ERROR && GoUtf8.width(pat, c) == 1) {
                throw new BadPattern();
            }
            return c;
        }

        /** Go's getEsc, second half: a class character must never end the chunk. */
        private int afterEscaped(int c, int end) throws BadPattern {
            int next = c + GoUtf8.width(pat, c);
            if (next >= end) {
                throw new BadPattern();
            }
            return next;
        }
    }
}
