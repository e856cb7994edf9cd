package dev.modproxy.gateway.doctor;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the request echo never prints. Rules:
 * <ul>
 *   <li>the value of every credential-bearing header: {@code Authorization},
 *       {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie}, and any header whose
 *       name says token, secret, password, key, auth, session, credential or signature
 *       ({@code X-Api-Key}, {@code X-Auth-Token}, …); for {@code Authorization} the scheme
 *       ({@code Basic}, {@code Bearer}) is kept, so a user can see which kind arrived;</li>
 *   <li>the value of every query parameter with such a name;</li>
 *   <li>a value that looks like a bearer token or basic credentials wherever it is
 *       ({@code Bearer …}, {@code Basic …}) in any other header.</li>
 * </ul>
 * Redacted values are replaced by {@value #REDACTED}; their length is not shown either.
 */
final class Redaction {

    static final String REDACTED = "[redacted]";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(authorization|cookie|token|secret|passw|key|auth|session|credential|signature).*");
    private static final Pattern SCHEMED = Pattern.compile("(?i)\\b(basic|bearer|token|digest)\\s+\\S+");

    private Redaction() {
    }

    static String header(String name, String value) {
        if (SECRET_NAME.matcher(name).matches()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.endsWith("authorization")) {
                int sp = value.indexOf(' ');
                return sp > 0 ? value.substring(0, sp) + " " + REDACTED : REDACTED;
            }
            return REDACTED;
        }
        return SCHEMED.matcher(value).replaceAll("$1 " + REDACTED.replace("[", "\\[").replace("]", "\\]"));
    }

    /** The query string with the values of secret-named parameters redacted. */
    static String query(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String part : query.split("&", -1)) {
            if (!b.isEmpty()) {
                b.append('&');
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            b.append(eq >= 0 && SECRET_NAME.matcher(name).matches() ? name + "=" + REDACTED : part);
        }
        return b.toString();
    }
}
