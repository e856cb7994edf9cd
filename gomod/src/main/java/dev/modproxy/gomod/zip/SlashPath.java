package dev.modproxy.gomod.zip;

/**
 * The few operations of Go's {@code path} package that the zip rules are written in terms of,
 * on slash-separated paths: Clean, Dir, Base, and Split's directory part.
 *
 * <p>Clean is the lexical normal form: runs of slashes become one, {@code .} elements go,
 * {@code x/..} pairs cancel ({@code ..} at the root of an absolute path is dropped, kept at the
 * front of a relative one), no trailing slash, and the empty result is {@code .}.
 */
final class SlashPath {

    private SlashPath() {
    }

    static String clean(String p) {
        if (p.isEmpty()) {
            return ".";
        }
        boolean rooted = p.charAt(0) == '/';
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        int dotdots = 0;
        for (String elem : p.split("/", -1)) {
            if (elem.isEmpty() || elem.equals(".")) {
                continue;
            }
            if (elem.equals("..")) {
                if (out.size() > dotdots) {
                    out.removeLast();
                } else if (!rooted) {
                    out.addLast("..");
                    dotdots++;
                }
                continue;
            }
            out.addLast(elem);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** Everything up to and including the last slash ("" if none), as path.Split. */
    static String splitDir(String p) {
        return p.substring(0, p.lastIndexOf('/') + 1);
    }

    /** The last element, as path.Split (may be empty when p ends in a slash). */
    static String splitBase(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** path.Dir: the cleaned path without its last element, "." if nothing is left. */
    static String dir(String p) {
        return clean(splitDir(p));
    }
}
