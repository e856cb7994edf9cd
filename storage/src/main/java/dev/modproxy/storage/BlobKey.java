package dev.modproxy.storage;

import java.util.regex.Pattern;

/**
 * A validated storage key.
 *
 * <p>Rules: 1 to 1024 characters; segments separated by '/'; no empty segment (so no leading,
 * trailing or doubled '/'); no "." or ".." segment; only the characters {@code A-Z a-z 0-9 - . _ ~ ! + @ = ,}
 * and '/'. That alphabet covers escaped module paths and versions ({@code !}-escaped, so
 * lower case) and our own names, and leaves out everything a filesystem or an S3 gateway
 * might interpret: '\\', '%', NUL, spaces, non-ASCII.
 */
public record BlobKey(String value) implements Comparable<BlobKey> {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._~!+@=,/-]{1,1024}");

    public BlobKey {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid storage key: " + describe(value));
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid storage key: " + describe(value));
            }
        }
    }

    public static BlobKey of(String value) {
        return new BlobKey(value);
    }

    /** True if {@code value} would be accepted by {@link #of}. */
    public static boolean isValid(String value) {
        try {
            new BlobKey(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public BlobKey resolve(String child) {
        return new BlobKey(value + "/" + child);
    }

    @Override
    public int compareTo(BlobKey o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String describe(String v) {
        if (v == null) {
            return "null";
        }
        String shown = v.length() > 80 ? v.substring(0, 80) + "..." : v;
        return '"' + shown.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
