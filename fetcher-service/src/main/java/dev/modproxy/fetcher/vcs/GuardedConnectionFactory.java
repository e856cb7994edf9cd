package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.GeneralSecurityException;

/**
 * JGit's HTTP connections for one git operation. JGit follows redirects itself, opening each hop
 * through this factory, so checking every URL here keeps redirects inside the {@link NetGuard};
 * https connections get the trust managers of {@code modproxy.tls.trust} (the JDK's CAs plus the
 * company's).
 */
final class GuardedConnectionFactory extends JDKHttpConnectionFactory {

    /** Carries the guard's refusal through JGit, which only passes IOExceptions on. */
    static final class Refused extends IOException {
        final FetchException reason;

        Refused(FetchException reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    private final NetGuard guard;
    private final boolean insecureAllowed;
    private final TrustManager[] trust;

    GuardedConnectionFactory(NetGuard guard, boolean insecureAllowed, TrustManager[] trust) {
        this.guard = guard;
        this.insecureAllowed = insecureAllowed;
        this.trust = trust;
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, null);
    }

    @Override
    public HttpConnection create(URL url, Proxy proxy) throws IOException {
        try {
            guard.check(url.toURI(), insecureAllowed);
        } catch (FetchException e) {
            throw new Refused(e);
        } catch (URISyntaxException e) {
            throw new IOException("bad URL " + url, e);
        }
        HttpConnection c = proxy == null ? new JDKHttpConnection(url) { } : new JDKHttpConnection(url, proxy) { };
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
