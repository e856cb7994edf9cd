package dev.modproxy.gateway.door;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.proxy.ProxyRequest;

/**
 * The one spelling of a request path the gateway accepts. A path has exactly one meaning when
 * the percent-decoding, dot-segment removal and route matching of every layer behind the door
 * (Vert.x Web's normalized path, RESTEasy's decoding, our GOPROXY parser) can only agree on it,
 * so everything that lets two layers read two different paths is refused with a 400:
 * <ol>
 *   <li>The target is in origin form (starts with {@code /}); absolute form, authority form and
 *       {@code *} are refused.</li>
 *   <li>Only visible ASCII ({@code !} to {@code ~}) appears raw; never {@code \} (some layers
 *       read it as a separator) nor {@code ;} (matrix parameters: JAX-RS strips them before it
 *       matches a path).</li>
 *   <li>A percent-escape is {@code %} and two upper-case hex digits (what the go command writes,
 *       and Vert.x's normalized form), and never escapes a byte that may appear raw in a
 *       segment as an unreserved character ({@code A-Z a-z 0-9 - . _ ~}), nor {@code /},
 *       {@code \}, {@code %} (double encoding), {@code ;}, or a control character. What is left
 *       ({@code %21} for {@code !}, {@code %2C}, non-ASCII UTF-8 bytes, …) has one decoding.</li>
 *   <li>The decoded path is valid UTF-8.</li>
 *   <li>No empty segment ({@code //}) and no {@code .} or {@code ..} segment; a trailing
 *       {@code /} only where a directory is served ({@code /} and {@code /ui/}).</li>
 * </ol>
 * Paths that pass have no dot segment, no escaped unreserved byte and no lower-case escape, so
 * the router's normalized path is the raw path itself; {@link FrontDoor} still compares the
 * two where an escape is present, as a guard against a layer that normalizes differently.
 */
final class Spelling {

    private Spelling() {
    }

    /** The decoded form of {@code raw} if it is spelt the one accepted way; else a 400. */
    static String decode(String raw) throws ProxyException {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            throw bad("the request target must be a path starting with '/'");
        }
        boolean escaped = false;
        int segmentStart = 1;
        for (int i = 1; i <= raw.length(); i++) {
            char c = i < raw.length() ? raw.charAt(i) : '/';
            if (c == '/') {
                segment(raw, segmentStart, i);
                segmentStart = i + 1;
                continue;
            }
            if (c < '!' || c > '~') {
                throw bad(c < ' ' || c == 0x7f ? "control character in the request target"
                        : "space or non-ASCII character in the path (percent-encode it)");
            }
            if (c == '\\' || c == ';') {
                throw bad("'" + c + "' in the path");
            }
            if (c == '%') {
                int b = escape(raw, i);
                if (b < 0x20 || b == 0x7f) {
                    throw bad("percent-encoded control character in the path");
                }
                if (b < 0x80 && (unreserved(b) || b == '/' || b == '\\' || b == '%' || b == ';')) {
                    throw bad("percent-encoded '" + (char) b + "' in the path: write it as "
                            + (b == '/' || b == '\\' || b == '%' || b == ';' ? "a path must not contain it" : "itself"));
                }
                escaped = true;
                i += 2;
            }
        }
        return escaped ? percentDecode(raw) : raw;
    }

    /** Checks the segment {@code raw[from, to)}: not empty (but a final '/' where allowed), not '.' or '..'. */
    private static void segment(String raw, int from, int to) throws ProxyException {
        int len = to - from;
        if (len == 0) {
            boolean last = to == raw.length();
            if (last && (raw.length() == 1 || raw.equals("/ui/"))) {
                return;
            }
            throw bad(last ? "trailing '/' in the path" : "empty segment ('//') in the path");
        }
        if (raw.charAt(from) == '.' && (len == 1 || len == 2 && raw.charAt(from + 1) == '.')) {
            throw bad("'" + raw.substring(from, to) + "' segment in the path");
        }
    }

    private static int escape(String raw, int at) throws ProxyException {
        if (at + 2 >= raw.length()) {
            throw bad("truncated percent-escape in the path");
        }
        int hi = hex(raw.charAt(at + 1));
        int lo = hex(raw.charAt(at + 2));
        if (hi < 0 || lo < 0) {
            throw bad("malformed percent-escape in the path (two upper-case hex digits after '%')");
        }
        return hi << 4 | lo;
    }

    /** An upper-case hex digit's value, else -1 (lower case is a second spelling of the same byte). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean unreserved(int b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    /** gomod's decoding (the GOPROXY parser's own); the escapes are already known to be well formed. */
    private static String percentDecode(String raw) throws ProxyException {
        try {
            return ProxyRequest.percentDecode(raw);
        } catch (GoModException e) {
            throw bad("the path is not valid UTF-8 once decoded");
        }
    }

    static ProxyException bad(String reason) {
        return new ProxyException(Kind.BAD_REQUEST, "malformed request target: " + reason);
    }
}
