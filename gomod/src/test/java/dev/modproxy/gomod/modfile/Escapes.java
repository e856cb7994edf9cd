package dev.modproxy.gomod.modfile;

/** The escapes of the test data files: backslash with t, n, r, s (space) or backslash. */
final class Escapes {

    private Escapes() {
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 't' -> b.append('\t');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 's' -> b.append(' ');
                case '\\' -> b.append('\\');
                default -> throw new IllegalArgumentException("bad escape \\" + e + " in " + s);
            }
        }
        return b.toString();
    }
}
