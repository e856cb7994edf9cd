package dev.modproxy.gomod.env;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoQuote;
import java.nio.charset.StandardCharsets;

/**
 * The subset of Go's {@code net/url.Parse} and {@code URL.String} that GOPROXY and GOSUMDB
 * validation depends on, reproduced so that the same inputs are accepted and the same error
 * texts come out ({@code parse "URL": reason}).
 *
 * <p>Parsing rules, in order: control characters are rejected; the fragment is cut at the
 * first {@code #}; a scheme is {@code [A-Za-z][A-Za-z0-9+.-]*} before the first {@code :}
 * (lowercased; a leading {@code :} is "missing protocol scheme"); a trailing lone {@code ?}
 * forces an empty query, otherwise the query starts at the first {@code ?}; a rootless
 * remainder after a scheme is opaque; without a scheme the first path segment may not contain
 * {@code :}; {@code //} introduces an authority {@code [userinfo@]host[:port]} whose port must
 * be digits and whose host may %-escape only non-ASCII bytes (and {@code %25}); the rest is
 * the %-unescaped path, with RawPath kept only when it differs from the default escaping.
 *
 * <p>All work is done on UTF-8 bytes (held one byte per char) because Go works on bytes.
 */
record GoUrl(String scheme, String opaque, Userinfo user, String host, String path,
             String rawPath, boolean omitHost, boolean forceQuery, String rawQuery,
             String fragment, String rawFragment) {

    /** User information; strings are UTF-8 bytes held one per char. */
    record Userinfo(String username, String password, boolean passwordSet) {
    }

    private enum Mode { PATH, HOST, ZONE, USER_PASSWORD, QUERY_COMPONENT, FRAGMENT }

    /** True if nothing but scheme, path and raw path is set (cmd/go's file:// check). */
    boolean onlySchemeAndPath() {
        return opaque.isEmpty() && user == null && host.isEmpty() && !omitHost && !forceQuery
                && rawQuery.isEmpty() && fragment.isEmpty() && rawFragment.isEmpty();
    }

    /** True if nothing but scheme, host, path and raw path is set. */
    boolean onlySchemeHostAndPath() {
        return opaque.isEmpty() && user == null && !omitHost && !forceQuery
                && rawQuery.isEmpty() && fragment.isEmpty() && rawFragment.isEmpty();
    }

    static GoUrl parse(String raw) throws GoModException {
        String bytes = toBytes(raw);
        int hash = bytes.indexOf('#');
        String u = hash < 0 ? bytes : bytes.substring(0, hash);
        GoUrl url;
        try {
            url = parseNoFragment(u);
        } catch (Failure f) {
            throw error(u, f.getMessage());
        }
        if (hash < 0 || hash == bytes.length() - 1) {
            return url;
        }
        String frag = bytes.substring(hash + 1);
        try {
            String f = unescape(frag, Mode.FRAGMENT);
            String rawF = escape(f, Mode.FRAGMENT).equals(frag) ? "" : frag;
            return new GoUrl(url.scheme, url.opaque, url.user, url.host, url.path, url.rawPath,
                    url.omitHost, url.forceQuery, url.rawQuery, f, rawF);
        } catch (Failure f) {
            throw error(bytes, f.getMessage());
        }
    }

    private static GoModException error(String urlBytes, String reason) {
        return new GoModException(GoModException.Kind.INVALID_SETTING,
                "parse " + GoQuote.quote(fromBytes(urlBytes)) + ": " + reason);
    }

    /** A parse failure with Go's reason text, turned into the full message by {@link #parse}. */
    private static final class Failure extends Exception {
        Failure(String reason) {
            super(reason, null, false, false);
        }
    }

    private static GoUrl parseNoFragment(String raw) throws Failure {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) < ' ' || raw.charAt(i) == 0x7F) {
                throw new Failure("net/url: invalid control character in URL");
            }
        }
        if (raw.equals("*")) {
            return new GoUrl("", "", null, "", "*", "", false, false, "", "", "");
        }
        String scheme = "";
        String rest = raw;
        int colon = schemeEnd(raw);
        if (colon == 0) {
            throw new Failure("missing protocol scheme");
        } else if (colon > 0) {
            scheme = raw.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
            rest = raw.substring(colon + 1);
        }
        boolean forceQuery = false;
        String rawQuery = "";
        if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
            forceQuery = true;
            rest = rest.substring(0, rest.length() - 1);
        } else if (rest.indexOf('?') >= 0) {
            rawQuery = rest.substring(rest.indexOf('?') + 1);
            rest = rest.substring(0, rest.indexOf('?'));
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new GoUrl(scheme, rest, null, "", "", "", false, forceQuery, rawQuery, "", "");
            }
            int slash = rest.indexOf('/');
            String segment = slash < 0 ? rest : rest.substring(0, slash);
            if (segment.indexOf(':') >= 0) {
                throw new Failure("first path segment in URL cannot contain colon");
            }
        }
        Userinfo user = null;
        String host = "";
        boolean omitHost = false;
        if ((!scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
            String authority = rest.substring(2);
            rest = "";
            int slash = authority.indexOf('/');
            if (slash >= 0) {
                rest = authority.substring(slash);
                authority = authority.substring(0, slash);
            }
            int at = authority.lastIndexOf('@');
            host = parseHost(at < 0 ? authority : authority.substring(at + 1));
            if (at >= 0) {
                user = parseUserinfo(authority.substring(0, at));
            }
        } else if (!scheme.isEmpty() && rest.startsWith("/")) {
            omitHost = true;
        }
        String path = unescape(rest, Mode.PATH);
        String rawPath = escape(path, Mode.PATH).equals(rest) ? "" : rest;
        return new GoUrl(scheme, "", user, host, path, rawPath, omitHost, forceQuery, rawQuery, "", "");
    }

    /** Index of the scheme-ending colon, 0 for a leading colon, -1 if there is no scheme. */
    private static int schemeEnd(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                continue;
            }
            if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    return -1;
                }
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    private static Userinfo parseUserinfo(String info) throws Failure {
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || "-._:~!$&'()*+,;=%@".indexOf(c) >= 0;
            if (!ok) {
                throw new Failure("net/url: invalid userinfo");
            }
        }
        int colon = info.indexOf(':');
        if (colon < 0) {
            return new Userinfo(unescape(info, Mode.USER_PASSWORD), "", false);
        }
        return new Userinfo(unescape(info.substring(0, colon), Mode.USER_PASSWORD),
                unescape(info.substring(colon + 1), Mode.USER_PASSWORD), true);
    }

    private static String parseHost(String host) throws Failure {
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                throw new Failure("missing ']' in host");
            }
            checkPort(host.substring(close + 1));
            int zone = host.substring(0, close).indexOf("%25");
            if (zone >= 0) {
                return unescape(host.substring(0, zone), Mode.HOST)
                        + unescape(host.substring(zone, close), Mode.ZONE)
                        + unescape(host.substring(close), Mode.HOST);
            }
        } else if (host.lastIndexOf(':') >= 0) {
            checkPort(host.substring(host.lastIndexOf(':')));
        }
        return unescape(host, Mode.HOST);
    }

    private static void checkPort(String colonPort) throws Failure {
        boolean ok = colonPort.isEmpty() || colonPort.charAt(0) == ':'
                && colonPort.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
        if (!ok) {
            throw new Failure("invalid port " + GoQuote.quote(fromBytes(colonPort)) + " after host");
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    private static String unescape(String s, Mode mode) throws Failure {
        StringBuilder t = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    String bad = s.substring(i, Math.min(s.length(), i + 3));
                    throw new Failure("invalid URL escape " + GoQuote.quote(fromBytes(bad)));
                }
                String esc = s.substring(i, i + 3);
                int v = Integer.parseInt(s.substring(i + 1, i + 3), 16);
                // Hosts may %-escape only non-ASCII bytes, and "%25" for IPv6 zones.
                if (mode == Mode.HOST && v >> 4 < 8 && !esc.equals("%25")) {
                    throw new Failure("invalid URL escape " + GoQuote.quote(esc));
                }
                if (mode == Mode.ZONE && !esc.equals("%25") && v != ' ' && shouldEscape((char) v, Mode.HOST)) {
                    throw new Failure("invalid URL escape " + GoQuote.quote(esc));
                }
                t.append((char) v);
                i += 2;
            } else if (c == '+' && mode == Mode.QUERY_COMPONENT) {
                t.append(' ');
            } else {
                if ((mode == Mode.HOST || mode == Mode.ZONE) && c < 0x80 && shouldEscape(c, mode)) {
                    throw new Failure("invalid character " + GoQuote.quote(String.valueOf(c)) + " in host name");
                }
                t.append(c);
            }
        }
        return t.toString();
    }

    private static String escape(String s, Mode mode) {
        StringBuilder t = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' && mode == Mode.QUERY_COMPONENT) {
                t.append('+');
            } else if (shouldEscape(c, mode)) {
                t.append('%').append(String.format("%02X", (int) c));
            } else {
                t.append(c);
            }
        }
        return t.toString();
    }

    private static boolean shouldEscape(char c, Mode mode) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return false;
        }
        if ((mode == Mode.HOST || mode == Mode.ZONE) && "!$&'()*+,;=:[]<>\"".indexOf(c) >= 0) {
            return false;
        }
        if ("-_.~".indexOf(c) >= 0) {
            return false;
        }
        if ("$&+,/:;=?@".indexOf(c) >= 0) {
            switch (mode) {
                case PATH:
                    return c == '?';
                case USER_PASSWORD:
                    return c == '@' || c == '/' || c == '?' || c == ':';
                case QUERY_COMPONENT:
                    return true;
                case FRAGMENT:
                    return false;
                default:
                    break;
            }
        }
        if (mode == Mode.FRAGMENT && "!()*".indexOf(c) >= 0) {
            return false;
        }
        return true;
    }

    private static boolean validEncoded(String s, Mode mode) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("!$&'()*+,;=:@[]%".indexOf(c) < 0 && shouldEscape(c, mode)) {
                return false;
            }
        }
        return true;
    }

    private String escapedPath() {
        if (!rawPath.isEmpty() && validEncoded(rawPath, Mode.PATH)) {
            try {
                if (unescape(rawPath, Mode.PATH).equals(path)) {
                    return rawPath;
                }
            } catch (Failure ignored) {
                // Fall through to the default encoding, as Go does.
            }
        }
        return path.equals("*") ? "*" : escape(path, Mode.PATH);
    }

    private String escapedFragment() {
        if (!rawFragment.isEmpty() && validEncoded(rawFragment, Mode.FRAGMENT)) {
            try {
                if (unescape(rawFragment, Mode.FRAGMENT).equals(fragment)) {
                    return rawFragment;
                }
            } catch (Failure ignored) {
                // Fall through to the default encoding, as Go does.
            }
        }
        return escape(fragment, Mode.FRAGMENT);
    }

    /** {@code URL.Redacted()}: the URL as text, with any password replaced by "xxxxx". */
    String redacted() {
        Userinfo shown = user == null || !user.passwordSet ? user
                : new Userinfo(user.username, "xxxxx", true);
        return fromBytes(format(shown));
    }

    /** {@code URL.String()}. */
    String text() {
        return fromBytes(format(user));
    }

    /** The URL as Go's {@code fmt.Sprintf("%+v", url)} prints the struct. */
    String goStructDump() {
        String userText = user == null ? "" : escape(user.username, Mode.USER_PASSWORD)
                + (user.passwordSet ? ":" + escape(user.password, Mode.USER_PASSWORD) : "");
        return fromBytes("{Scheme:" + scheme + " Opaque:" + opaque + " User:" + userText
                + " Host:" + host + " Path:" + path + " RawPath:" + rawPath
                + " OmitHost:" + omitHost + " ForceQuery:" + forceQuery
                + " RawQuery:" + rawQuery + " Fragment:" + fragment
                + " RawFragment:" + rawFragment + "}");
    }

    private String format(Userinfo shownUser) {
        StringBuilder b = new StringBuilder();
        if (!scheme.isEmpty()) {
            b.append(scheme).append(':');
        }
        if (!opaque.isEmpty()) {
            b.append(opaque);
        } else {
            if ((!scheme.isEmpty() || !host.isEmpty() || shownUser != null)
                    && !(omitHost && host.isEmpty() && shownUser == null)) {
                if (!host.isEmpty() || !path.isEmpty() || shownUser != null) {
                    b.append("//");
                }
                if (shownUser != null) {
                    b.append(escape(shownUser.username, Mode.USER_PASSWORD));
                    if (shownUser.passwordSet) {
                        b.append(':').append(escape(shownUser.password, Mode.USER_PASSWORD));
                    }
                    b.append('@');
                }
                b.append(escape(host, Mode.HOST));
            }
            String p = escapedPath();
            if (!p.isEmpty() && p.charAt(0) != '/' && !host.isEmpty()) {
                b.append('/');
            }
            if (b.length() == 0) {
                int slash = p.indexOf('/');
                if ((slash < 0 ? p : p.substring(0, slash)).indexOf(':') >= 0) {
                    b.append("./");
                }
            }
            b.append(p);
        }
        if (forceQuery || !rawQuery.isEmpty()) {
            b.append('?').append(rawQuery);
        }
        if (!fragment.isEmpty()) {
            b.append('#').append(escapedFragment());
        }
        return b.toString();
    }

    static String toBytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static String fromBytes(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
