package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP connections of one direct operation (a git fetch, an ls-remote, go-import
 * discovery). JGit follows redirects itself, opening each hop through this factory, so checking
 * every URL here keeps redirects inside the {@link NetGuard}; https connections get the trust
 * managers of {@code modproxy.tls.trust} (the JDK's CAs plus the company's) and a connect-time
 * address check; every connection is cut at the request's {@link Deadline}; response bodies
 * share one byte budget ({@code modproxy.vcs.max-repo-bytes} less what the mirror holds).
 */
final class GuardedConnectionFactory implements HttpConnectionFactory {

    /** Carries the guard's refusal through JGit, which only passes IOExceptions on. */
    static class Refused extends IOException {
        final FetchException reason;

        Refused(FetchException reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    /** The byte budget ran out while a body streamed in; {@link GitMirror} says which limit. */
    static final class TooBig extends IOException {
        TooBig() {
            super("more bytes than modproxy.vcs.max-repo-bytes allows");
        }
    }

    private final NetGuard guard;
    private final boolean insecureAllowed;
    private final boolean privateModule;
    private final TrustManager[] trust;
    private final Deadline deadline;
    private final AtomicLong budget;

    GuardedConnectionFactory(NetGuard guard, boolean insecureAllowed, boolean privateModule, TrustManager[] trust,
                             long maxBytes) {
        this.guard = guard;
        this.insecureAllowed = insecureAllowed;
        this.privateModule = privateModule;
        this.trust = trust;
        this.deadline = Deadline.current();
        this.budget = new AtomicLong(maxBytes);
    }

    /** Bytes left of the budget (negative: it ran out). */
    long budgetLeft() {
        return budget.get();
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, null);
    }

    @Override
    public GuardedConnection create(URL url, Proxy proxy) throws IOException {
        if (deadline.expired()) {
            throw new Refused(deadline.timeout("connecting", url.toString()));
        }
        try {
            guard.check(url.toURI(), insecureAllowed, privateModule);
        } catch (FetchException e) {
            throw new Refused(e);
        } catch (URISyntaxException e) {
            throw new IOException("bad URL " + url, e);
        }
        GuardedConnection c = new GuardedConnection(url, proxy, deadline, budget,
                new CheckedSocketFactory.Scope(guard, url.getHost(), privateModule));
        if ("https".equalsIgnoreCase(url.getProtocol()) && trust != null) {
            try {
                c.configure(null, trust, null);
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot configure TLS: " + e.getMessage(), e);
            }
        }
        return c;
    }
}
