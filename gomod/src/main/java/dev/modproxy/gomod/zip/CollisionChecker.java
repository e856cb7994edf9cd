package dev.modproxy.gomod.zip;

import dev.modproxy.gomod.text.GoQuote;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds entries that could not coexist when extracted: names equal under case folding, a name
 * used as both file and directory, and a file listed twice.
 *
 * <p>Each path registers itself and then, recursively, every parent directory. Registering a
 * folded name already present is an error unless both are the same directory (parents are
 * registered once per file below them). Messages are x/mod's.
 */
final class CollisionChecker {

    private record Seen(String path, boolean isDir) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** Registers {@code p}; returns the collision message, or null if there is none. */
    String check(String p, boolean isDir) {
        String fold = CaseFold.fold(p);
        Seen other = seen.get(fold);
        if (other != null) {
            if (!p.equals(other.path())) {
                return "case-insensitive file name collision: " + GoQuote.quote(other.path())
                        + " and " + GoQuote.quote(p);
            }
            if (isDir != other.isDir()) {
                return "entry " + GoQuote.quote(p) + " is both a file and a directory";
            }
            if (!isDir) {
                return "multiple entries for file " + GoQuote.quote(p);
            }
        } else {
            seen.put(fold, new Seen(p, isDir));
        }
        String parent = SlashPath.dir(p);
        return parent.equals(".") || parent.equals(p) ? null : check(parent, true);
    }
}
