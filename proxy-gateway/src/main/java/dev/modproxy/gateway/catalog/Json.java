package dev.modproxy.gateway.catalog;

/** JSON string quoting for the hand-written NDJSON feed (one line per entry, no library in the loop). */
final class Json {

    private Json() {
    }

    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }
}
