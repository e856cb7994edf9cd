package dev.modproxy.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code Authorization} header, as the gateway accepts it.
 * <ul>
 *   <li>{@code Basic <base64(user ":" password)>} (RFC 7617): standard base64 with padding,
 *       decoded as UTF-8 (invalid UTF-8 is refused, not replaced); the user is everything before
 *       the first colon and may not be empty; the password may hold colons. This is what the
 *       {@code go} command sends from {@code .netrc} (over https only).</li>
 *   <li>{@code Bearer <token>} (RFC 6750): the token is 1-4096 characters of the
 *       {@code b64token} alphabet {@code [A-Za-z0-9-._~+/]+=*}.</li>
 *   <li>The scheme name is case-insensitive; one or more spaces follow it; nothing else is
 *       accepted. Headers longer than {@link #MAX_LENGTH} are refused before decoding.</li>
 * </ul>
 */
public sealed interface Credentials {

    int MAX_LENGTH = 8192;

    record Basic(String user, String password) implements Credentials {
        @Override
        public String toString() {
            return "Basic[" + user + "]";
        }
    }

    record Bearer(String token) implements Credentials {
        @Override
        public String toString() {
            return "Bearer[...]";
        }
    }

    /** Thrown for any header that is not one of the two forms above; the message is one line. */
    final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static Credentials parse(String header) throws Malformed {
        if (header == null || header.isEmpty()) {
            throw new Malformed("empty Authorization header");
        }
        if (header.length() > MAX_LENGTH) {
            throw new Malformed("Authorization header too long");
        }
        int space = header.indexOf(' ');
        if (space <= 0) {
            throw new Malformed("Authorization header without a scheme and credentials");
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String value = header.substring(space).stripLeading();
        return switch (scheme) {
            case "basic" -> basic(value);
            case "bearer" -> bearer(value);
            default -> throw new Malformed("unsupported authorization scheme (use Basic or Bearer)");
        };
    }

    private static Basic basic(String value) throws Malformed {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new Malformed("malformed basic credentials: not base64");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("malformed basic credentials: not UTF-8");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new Malformed("malformed basic credentials: no user name");
        }
        return new Basic(text.substring(0, colon), text.substring(colon + 1));
    }

    private static Bearer bearer(String value) throws Malformed {
        if (value.isEmpty() || value.length() > 4096 || !value.matches("[A-Za-z0-9\\-._~+/]+=*")) {
            throw new Malformed("malformed bearer token");
        }
        return new Bearer(value);
    }
}
