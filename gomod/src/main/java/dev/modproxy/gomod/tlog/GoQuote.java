package dev.modproxy.gomod.tlog;

/**
 * A string quoted as Go's {@code %q} quotes it, for error messages that echo input in x/mod's
 * words: backslash and double quote escaped, the C escapes for \a \b \f \n \r \t \v, other
 * control characters as \xNN, other unprintable code points as \\uNNNN or \\UNNNNNNNN, the rest
 * as themselves. "Printable" follows Java's character categories, which agree with Go's
 * {@code strconv.IsPrint} except on code points newer than either's Unicode tables.
 */
final class GoQuote {

    private GoQuote() {
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(r -> {
            switch (r) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                default -> {
                    if (r < 0x20 || r == 0x7f) {
                        out.append(String.format("\\x%02x", r));
                    } else if (isPrint(r)) {
                        out.appendCodePoint(r);
                    } else if (r < 0x10000) {
                        out.append(String.format("\\u%04x", r));
                    } else {
                        out.append(String.format("\\U%08x", r));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static boolean isPrint(int r) {
        if (r == ' ') {
            return true;
        }
        return switch (Character.getType(r)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                    Character.PRIVATE_USE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
