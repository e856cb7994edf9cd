package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

import javax.net.ssl.SSLException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;

/**
 * How a failed git operation becomes a fetcher error, per the status rules: what says the
 * repository is not there for us (missing, or credentials missing or refused: a host cannot be
 * told apart from a private repository) is "not found" (404) with the reason; an unreachable or
 * broken server is 502; a server silent for {@code modproxy.vcs.timeout}, or not done by
 * {@code modproxy.vcs.deadline} (whatever the cut connection then threw), is 504.
 */
final class GitErrors {

    private GitErrors() {
    }

    static FetchException map(String what, String url, Throwable e) {
        Deadline deadline = Deadline.current();
        if (deadline.expired()) {
            // whatever broke the read (a closed socket, an interrupted stream), the watchdog did it
            return deadline.timeout(what, url);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedConnectionFactory.Refused r) {
                return r.reason;
            }
            if (t instanceof FetchException f) {
                return f;
            }
            if (t instanceof NoRemoteRepositoryException) {
                return new FetchException(Kind.NOT_FOUND, what + ": repository " + url + " not found", "direct", e);
            }
            if (t instanceof UnknownHostException) {
                return new FetchException(Kind.NOT_FOUND, what + ": unknown host in " + url, "direct", e);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new FetchException(Kind.UPSTREAM_TIMEOUT, what + ": git server " + url + " did not answer in time",
                        "direct", e);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new FetchException(Kind.UPSTREAM_FAILED, what + ": git server " + url + " unreachable: "
                        + t.getMessage(), "direct", e);
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                String why = rootMessage(t);
                // a pinned host's refusal names the pin already; others get the two ways to trust a server
                String hint = why.contains("modproxy.vcs.pins") ? ""
                        : " (trust its CA with modproxy.tls.trust or pin its certificate with modproxy.vcs.pins)";
                return new FetchException(Kind.UPSTREAM_FAILED, what + ": TLS with " + url + " failed: " + why + hint, "direct", e);
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("not authorized") || m.contains("authentication is required") || m.contains("401")
                    || m.contains("403 forbidden") || m.contains("auth fail")) {
                return FetchException.credentialsRefused(what + ": " + url
                        + ": authentication failed (credentials come from modproxy.vcs.credentials-dir and modproxy.vcs.netrc)", "direct", e);
            }
            if (m.contains("repository not found") || m.contains("not found: ")) {
                return new FetchException(Kind.NOT_FOUND, what + ": repository " + url + " not found", "direct", e);
            }
        }
        return new FetchException(Kind.UPSTREAM_FAILED, what + ": git " + url + ": " + e.getMessage(), "direct", e);
    }

    /** The innermost message of a TLS failure (the certificate check's own words), on one line. */
    private static String rootMessage(Throwable t) {
        String m = t.getMessage();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                m = c.getMessage();
            }
        }
        m = String.valueOf(m).replaceAll("\\s+", " ").strip();
        // JDK messages often start with the class name of a wrapped exception
        return m.replaceFirst("^([a-z]+\\.)+[A-Za-z]+(Exception|Error): ", "");
    }
}
