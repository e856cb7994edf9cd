package dev.modproxy.fetcher.vcs;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.NetRC;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Credentials per host from a netrc-format file ({@code modproxy.vcs.netrc}; in Kubernetes a
 * Secret mounted as a file), the way the {@code go} command and git read {@code ~/.netrc}:
 * {@code machine <host> login <user> password <token>}. A token-only service (GitLab, Gitea,
 * GitHub) takes any login with the token as password. The file is read again when it changes.
 */
final class Credentials {

    private final NetRC netrc;

    Credentials(Optional<Path> file) {
        this.netrc = file.map(p -> new NetRC(p.toFile())).orElse(null);
    }

    private Optional<NetRC.NetRCEntry> entry(String host) {
        if (netrc == null || host == null) {
            return Optional.empty();
        }
        NetRC.NetRCEntry e = netrc.getEntry(host);
        return e == null || e.login == null || e.password == null ? Optional.empty() : Optional.of(e);
    }

    /** For git over HTTP(S) to {@code url}; null when the file has no entry for its host. */
    CredentialsProvider forUrl(String url) {
        return entry(URI.create(url).getHost())
                .map(e -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(e.login, e.password))
                .orElse(null);
    }

    /** A Basic Authorization header value for plain HTTP requests (go-import discovery). */
    Optional<String> basicAuth(String host) {
        return entry(host).map(e -> "Basic " + Base64.getEncoder().encodeToString(
                (e.login + ":" + new String(e.password)).getBytes(StandardCharsets.UTF_8)));
    }
}
