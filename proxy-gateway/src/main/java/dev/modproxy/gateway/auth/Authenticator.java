package dev.modproxy.gateway.auth;

import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.chain.WatchedFile;
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
 */
@ApplicationScoped
public class Authenticator implements Handler<RoutingContext> {

    static final String CHALLENGE = "Basic realm=\"modproxy\", charset=\"UTF-8\"";
    private static final int MAX_CACHED = 10_000;

    private final boolean enabled;
    private final WatchedFile<Map<String, Accounts.Entry>> users;
    private final WatchedFile<Map<String, Accounts.Entry>> tokens;
    private final long cacheNanos;
    private final LongSupplier clock = System::nanoTime;
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    public Authenticator(AuthConfig config) {
        this.enabled = config.enabled();
        long check = config.reloadInterval().toNanos();
        this.users = enabled ? config.usersFile().map(p -> new WatchedFile<>(p, Accounts::users, check, clock)).orElse(null) : null;
        this.tokens = enabled ? config.tokensFile().map(p -> new WatchedFile<>(p, Accounts::tokens, check, clock)).orElse(null) : null;
        this.cacheNanos = config.cacheTtl().toNanos();
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
        if (credentials instanceof Credentials.Bearer bearer) {
            Optional<Identity> id = token(bearer.token());
            if (id.isEmpty()) {
                ctx.fail(unauthorized("unknown bearer token"));
                return;
            }
            ctx.put(ContextKeys.IDENTITY, id.get());
            ctx.next();
            return;
        }
        Credentials.Basic basic = (Credentials.Basic) credentials;
        Accounts.Entry user = users == null ? null : users.get().get(basic.user());
        if (user == null) {
            ctx.fail(unauthorized("bad user name or password"));
            return;
        }
        String key = user.name() + "\u0000" + user.hash() + "\u0000" + sha256(basic.password());
        Long until = verified.get(key);
        if (until != null && until - clock.getAsLong() > 0) {
            ctx.put(ContextKeys.IDENTITY, identity(user, "basic"));
            ctx.next();
            return;
        }
        ctx.vertx().executeBlocking(() -> checkPassword(user.hash(), basic.password()), false).onComplete(ar -> {
            if (ar.succeeded() && ar.result()) {
                remember(key);
                ctx.put(ContextKeys.IDENTITY, identity(user, "basic"));
                ctx.next();
            } else {
                ctx.fail(unauthorized("bad user name or password"));
            }
        });
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
