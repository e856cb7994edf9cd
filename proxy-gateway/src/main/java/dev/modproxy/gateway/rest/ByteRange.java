package dev.modproxy.gateway.rest;

import java.time.Instant;

/**
 * The part of an artifact a GET asks for, from its {@code Range} and {@code If-Range} headers
 * (RFC 9110 section 14).
 *
 * <p>Only a single byte range is honoured: {@code bytes=a-b}, {@code bytes=a-} or the suffix
 * {@code bytes=-n}. The whole artifact is sent (200) when there is no Range header, when it is
 * malformed or not in bytes (the RFC says to ignore it), when it lists several ranges (allowed;
 * the go command never asks for them), and when {@code If-Range} names another version. A
 * well-formed range that starts at or past the end, or a zero-length suffix, is unsatisfiable
 * (416).
 */
sealed interface ByteRange {

    record Full() implements ByteRange {
    }

    /** Bytes {@code first} to {@code last}, inclusive. */
    record Partial(long first, long last) implements ByteRange {
        long length() {
            return last - first + 1;
        }
    }

    record Unsatisfiable() implements ByteRange {
    }

    ByteRange FULL = new Full();

    static ByteRange of(String range, String ifRange, String etag, Instant lastModified, long size) {
        if (range == null || !ifRangeHolds(ifRange, etag, lastModified)) {
            return FULL;
        }
        String spec = range.strip();
        if (spec.length() < 6 || !spec.regionMatches(true, 0, "bytes=", 0, 6)) {
            return FULL;
        }
        spec = spec.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return FULL;
        }
        String firstText = spec.substring(0, dash).strip();
        String lastText = spec.substring(dash + 1).strip();
        if (firstText.isEmpty()) {
            long suffix = digits(lastText);
            if (suffix < 0) {
                return FULL;
            }
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable();
            }
            return new Partial(Math.max(0, size - suffix), size - 1);
        }
        long first = digits(firstText);
        long last = lastText.isEmpty() ? Long.MAX_VALUE : digits(lastText);
        if (first < 0 || last < 0 || last < first) {
            return FULL;
        }
        if (first >= size) {
            return new Unsatisfiable();
        }
        return new Partial(first, Math.min(last, size - 1));
    }

    /** If-Range: a strong ETag that must match, or an HTTP date that must equal Last-Modified. */
    private static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.strip();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        if (v.startsWith("W/")) {
            return false;
        }
        return lastModified != null && v.equals(HttpDates.format(lastModified));
    }

    /** A non-negative decimal (saturating at Long.MAX_VALUE), or -1 if it is not one. */
    private static long digits(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }
}
