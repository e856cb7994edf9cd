package dev.modproxy.gateway.auth;

import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.chain.WatchedFile;
import dev.modproxy.gateway.door.FrontDoor;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The authentication step: turns the {@code Authorization} header into an {@link Identity}
 * on the context ({@link ContextKeys#IDENTITY}).
 *
 * <p>No header: anonymous (what anonymous may read is the policy step's business, so a private
 * module answers 404 rather than a challenge that would confirm it exists). A header that is
 * malformed or does not match: 401 with a {@code Basic} challenge. Checking a bcrypt hash
 * costs tens of milliseconds by design, so it runs on a worker thread, and a password that
 * matched is remembered (as its SHA-256, with the hash it matched) for
 * {@code modproxy.auth.cache-ttl}: the {@code go} command sends the same credentials on every
 * one of its many requests. Users and tokens files are re-read when they change.
 *
 * <p>Failed logins are throttled ({@link LoginThrottle}, {@code modproxy.auth.max-failed-logins}
 * a minute per client address and per user name; 429 beyond, before any password check). An
 * unknown user name costs the same bcrypt check as a known one, so timing does not tell which
 * names exist.
 */
@ApplicationScoped
public class Authenticator implements Handler<RoutingContext> {

    /** Both schemes the gateway accepts, in one header, so a client can answer with either. */
    public static final String CHALLENGE = "Basic realm=\"modproxy\", charset=\"UTF-8\", Bearer realm=\"modproxy\"";
    private static final int MAX_CACHED = 10_000;

    private final boolean enabled;
    private final WatchedFile<Map<String, Accounts.Entry>> users;
    private final WatchedFile<Map<String, Accounts.Entry>> tokens;
    private final long cacheNanos;
    private final LongSupplier clock = System::nanoTime;
    private final Map<String, Long> verified = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;
    /** A bcrypt hash of nothing anyone knows, checked for unknown user names (same cost, same time). */
    private final String decoy;

    public Authenticator(AuthConfig config) {
        this.enabled = config.enabled();
        long check = config.reloadInterval().toNanos();
        this.users = enabled ? config.usersFile().map(p -> new WatchedFile<>(p, Accounts::users, check, clock)).orElse(null) : null;
        this.tokens = enabled ? config.tokensFile().map(p -> new WatchedFile<>(p, Accounts::tokens, check, clock)).orElse(null) : null;
        this.cacheNanos = config.cacheTtl().toNanos();
        this.throttle = new LoginThrottle(config.maxFailedLogins(), 100_000, clock);
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        this.decoy = enabled ? OpenBSDBCrypt.generate("2a", java.util.UUID.randomUUID().toString().toCharArray(), salt, 10) : null;
    }

    public boolean enabled() {
        return enabled;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (!enabled || header == null) {
            ctx.put(ContextKeys.IDENTITY, Identity.ANONYMOUS);
            ctx.next();
            return;
        }
        Credentials credentials;
        try {
            credentials = Credentials.parse(header);
        } catch (Credentials.Malformed e) {
            ctx.fail(unauthorized(e.getMessage()));
            return;
        }
        String address = FrontDoor.client(ctx);
        String client = "ip:" + (address == null ? "unknown" : address);
        if (credentials instanceof Credentials.Bearer bearer) {
            Optional<Identity> id = token(bearer.token());
            if (id.isPresent()) {
                ctx.put(ContextKeys.IDENTITY, id.get());
                ctx.next();
                return;
            }
            if (!throttled(ctx, client, null)) {
                throttle.failed(client);
                ctx.fail(unauthorized("unknown bearer token"));
            }
            return;
        }
        Credentials.Basic basic = (Credentials.Basic) credentials;
        Accounts.Entry user = users == null ? null : users.get().get(basic.user());
        String userKey = "user:" + basic.user();
        if (user != null) {
            String key = user.name() + "\u0000" + user.hash() + "\u0000" + sha256(basic.password());
            Long until = verified.get(key);
            if (until != null && until - clock.getAsLong() > 0) {
                ctx.put(ContextKeys.IDENTITY, identity(user, "basic"));
                ctx.next();
                return;
            }
        }
        if (throttled(ctx, client, userKey)) {
            return;
        }
        // Counted before the check (and given back on success): guesses sent in parallel all
        // count, not only those whose check finished before the next one arrived.
        throttle.attempt(client);
        throttle.attempt(userKey);
        String hash = user == null ? decoy : user.hash();
        ctx.vertx().executeBlocking(() -> checkPassword(hash, basic.password()) && user != null, false).onComplete(ar -> {
            if (ar.succeeded() && ar.result()) {
                throttle.succeeded(client);
                throttle.succeeded(userKey);
                remember(user.name() + "\u0000" + user.hash() + "\u0000" + sha256(basic.password()));
                ctx.put(ContextKeys.IDENTITY, identity(user, "basic"));
                ctx.next();
            } else {
                ctx.fail(unauthorized("bad user name or password"));
            }
        });
    }

    /** Answers 429 and returns true when the client or the user name is over its failed logins. */
    private boolean throttled(RoutingContext ctx, String client, String userKey) {
        long wait = Math.max(throttle.blockedFor(client), userKey == null ? 0 : throttle.blockedFor(userKey));
        if (wait == 0) {
            return false;
        }
        long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        ctx.fail(new ProxyException(Kind.TOO_MANY_REQUESTS, "too many failed logins"
                + (userKey != null && throttle.blockedFor(userKey) > 0 ? " for this user name" : " from this client")
                + "; retry in " + seconds + "s", Map.of("Retry-After", Long.toString(seconds)), null));
        return true;
    }

    /** The identity a bearer token stands for, if the tokens file lists its hash. */
    Optional<Identity> token(String token) {
        if (tokens == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(tokens.get().get(sha256(token))).map(e -> identity(e, "bearer"));
    }

    static boolean checkPassword(String hash, String password) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (RuntimeException e) {
            // BouncyCastle refuses some inputs (e.g. a password over 72 bytes): a failed match.
            return false;
        }
    }

    private void remember(String key) {
        long now = clock.getAsLong();
        if (verified.size() >= MAX_CACHED) {
            verified.values().removeIf(until -> until - now <= 0);
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
        }
        verified.put(key, now + cacheNanos);
    }

    private static Identity identity(Accounts.Entry e, String method) {
        return new Identity(e.name(), e.groups(), method);
    }

    static ProxyException unauthorized(String reason) {
        return new ProxyException(Kind.UNAUTHORIZED, "authentication failed: " + reason,
                Map.of("WWW-Authenticate", CHALLENGE), null);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
