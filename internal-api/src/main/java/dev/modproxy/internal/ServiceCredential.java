package dev.modproxy.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The service credential: the shared secret every modproxy service sends on its calls to another
 * one, and every internal API checks before it does anything.
 *
 * <p>The rules:
 * <ul>
 *   <li>It travels as {@code Authorization: Bearer <token>}; a refusal is {@code 401} with
 *       {@code WWW-Authenticate: Bearer realm="modproxy-internal"} and a one-line reason.</li>
 *   <li>A token is 16 to 512 visible ASCII characters (no spaces): long enough that it cannot be
 *       guessed, short enough for a header.</li>
 *   <li>A source holds the current token first, then any other still accepted (the previous one
 *       during a rotation). The current one is sent; all of them are accepted.</li>
 *   <li>Comparison is in constant time: SHA-256 digests (so the length is not compared either)
 *       checked with {@link MessageDigest#isEqual}, against every accepted token, no early exit.</li>
 *   <li>No token configured, or a token file that cannot be read or holds no valid token: nothing
 *       is sent and everything is refused. The default is closed, never open.</li>
 * </ul>
 */
public final class ServiceCredential {

    public static final String HEADER = "Authorization";
    public static final String CHALLENGE_HEADER = "WWW-Authenticate";
    public static final String CHALLENGE = "Bearer realm=\"modproxy-internal\"";
    private static final String PREFIX = "Bearer ";
    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 512;

    /** What a source holds right now: the accepted tokens (current first), or why there are none. */
    record Tokens(List<String> tokens, List<byte[]> digests, String problem) {

        static Tokens of(List<String> tokens, String where) {
            if (tokens.isEmpty()) {
                return none("no token in " + where);
            }
            List<byte[]> digests = new ArrayList<>();
            for (String t : tokens) {
                String bad = invalid(t);
                if (bad != null) {
                    return none("a token in " + where + " " + bad);
                }
                digests.add(sha256(t));
            }
            return new Tokens(List.copyOf(tokens), List.copyOf(digests), null);
        }

        static Tokens none(String problem) {
            return new Tokens(List.of(), List.of(), problem);
        }
    }

    private final Supplier<Tokens> source;

    private ServiceCredential(Supplier<Tokens> source) {
        this.source = source;
    }

    /** Tokens given directly, the current one first (e.g. {@code modproxy.internal.token}). */
    public static ServiceCredential of(List<String> tokens) {
        Tokens t = Tokens.of(tokens.stream().map(String::strip).filter(s -> !s.isEmpty()).toList(),
                "modproxy.internal.token");
        if (t.problem() != null) {
            throw new IllegalArgumentException(t.problem());
        }
        return new ServiceCredential(() -> t);
    }

    /** Tokens from a file, re-read whenever it changes (see {@link TokenFile}). */
    public static ServiceCredential fromFile(Path file) {
        return new ServiceCredential(new TokenFile(file));
    }

    /** No credential at all: nothing is sent, everything refused. */
    public static ServiceCredential none() {
        Tokens t = Tokens.none("no service credential configured (modproxy.internal.token-file or modproxy.internal.token)");
        return new ServiceCredential(() -> t);
    }

    /** The value of {@link #HEADER} for an outgoing call, or empty when there is no usable token. */
    public Optional<String> authorization() {
        List<String> tokens = source.get().tokens();
        return tokens.isEmpty() ? Optional.empty() : Optional.of(PREFIX + tokens.get(0));
    }

    /** Why no call can be accepted right now, or empty when a token is configured and valid. */
    public Optional<String> problem() {
        return Optional.ofNullable(source.get().problem());
    }

    /**
     * Checks the {@link #HEADER} value of an incoming call ({@code null} when absent): empty when
     * accepted, else the one-line reason for the 401.
     */
    public Optional<String> refusal(String authorization) {
        Tokens t = source.get();
        if (t.problem() != null) {
            return Optional.of("internal API closed: " + t.problem());
        }
        if (authorization == null || authorization.isEmpty()) {
            return Optional.of("service credential required (Authorization: Bearer, modproxy's internal API)");
        }
        if (!authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.of("service credential required: Authorization must be a Bearer token");
        }
        byte[] given = sha256(authorization.substring(PREFIX.length()).strip());
        boolean match = false;
        for (byte[] accepted : t.digests()) {
            match |= MessageDigest.isEqual(given, accepted);
        }
        return match ? Optional.empty() : Optional.of("service credential not accepted");
    }

    /** Why {@code token} is not a valid token, or null when it is. */
    static String invalid(String token) {
        if (token.length() < MIN_LENGTH) {
            return "is shorter than " + MIN_LENGTH + " characters";
        }
        if (token.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return "holds a character other than visible ASCII";
            }
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
