package dev.modproxy.fetcher.vcs;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.jboss.logging.Logger;
import org.eclipse.jgit.transport.NetRC;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Git credentials per host, sent as HTTP Basic authentication, from two sources:
 * <ol>
 *   <li>{@code modproxy.vcs.credentials-dir}: a directory with one file per host, named by the
 *       host (lower case, no port) — in Kubernetes a Secret mounted as a volume, one key per host.
 *       A file holds either {@code user:password}, or a bare token, sent as password with the user
 *       {@value #TOKEN_USER}: GitHub, GitLab and Gitea all take a token as the password of Basic
 *       authentication whatever the user name (a GitLab deploy token needs its own user name: write
 *       {@code user:token}). Only the first line counts; surrounding white space is dropped. The
 *       file is read at each use, so an updated Secret applies at once (Kubernetes swaps the
 *       {@code ..data} link of a mounted Secret in place; a {@code subPath} mount never changes).</li>
 *   <li>{@code modproxy.vcs.netrc}: a netrc-format file, as the {@code go} command and git read
 *       {@code ~/.netrc}: {@code machine <host> login <user> password <token>}; read again when it
 *       changes.</li>
 * </ol>
 * The directory is asked first; a host in neither gets no credentials.
 *
 * <p>Credentials are bound to module paths, not to hosts alone: they are sent only for modules
 * matching {@code modproxy.private} ({@link #forModules}). The repository URL comes from
 * whatever go-import tag a module path's own host serves, so without this binding
 * {@code evil.example/x} could name {@code https://gitlab.corp.example/secret/repo} and have
 * modproxy fetch it with the company's token (a confused deputy).
 */
final class Credentials {

    private static final Logger LOG = Logger.getLogger(Credentials.class);

    static final String TOKEN_USER = "x-access-token";

    /** Host names that can be file names: no separators, nothing hidden (such as Kubernetes' {@code ..data}). */
    private static final Pattern HOST_FILE = Pattern.compile("[a-z0-9][a-z0-9.\\-]*");

    private record UserPassword(String user, String password) {
    }

    private final NetRC netrc;
    private final Path dir;

    Credentials(Optional<Path> netrcFile, Optional<Path> dir) {
        this.netrc = netrcFile.map(p -> new NetRC(p.toFile())).orElse(null);
        this.dir = dir.orElse(null);
    }

    /** No credentials for any host. */
    static final Credentials NONE = new Credentials(Optional.empty(), Optional.empty());

    /**
     * The credentials to use for a module: these when it matches {@code modproxy.private}
     * ({@code privateModule}), none otherwise.
     */
    Credentials forModules(boolean privateModule) {
        return privateModule ? this : NONE;
    }

    private Optional<UserPassword> entry(String host) {
        if (host == null) {
            return Optional.empty();
        }
        Optional<UserPassword> fromDir = fromDir(host.toLowerCase(Locale.ROOT));
        if (fromDir.isPresent() || netrc == null) {
            return fromDir;
        }
        NetRC.NetRCEntry e = netrc.getEntry(host);
        return e == null || e.login == null || e.password == null ? Optional.empty()
                : Optional.of(new UserPassword(e.login, new String(e.password)));
    }

    private Optional<UserPassword> fromDir(String host) {
        if (dir == null || !HOST_FILE.matcher(host).matches()) {
            return Optional.empty();
        }
        String content;
        try {
            content = Files.readString(dir.resolve(host), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Answering without credentials gives the user a clear "authentication failed"; the log says why.
            LOG.warnf("modproxy.vcs.credentials-dir: cannot read %s: %s", dir.resolve(host), e.getMessage());
            return Optional.empty();
        }
        String line = content.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        return Optional.of(colon < 0 ? new UserPassword(TOKEN_USER, line)
                : new UserPassword(line.substring(0, colon), line.substring(colon + 1)));
    }

    /** For git over HTTP(S) to {@code url}; null when no source has an entry for its host. */
    CredentialsProvider forUrl(String url) {
        return entry(URI.create(url).getHost())
                .map(e -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(e.user(), e.password()))
                .orElse(null);
    }

    /** A Basic Authorization header value for plain HTTP requests (go-import discovery). */
    Optional<String> basicAuth(String host) {
        return entry(host).map(e -> "Basic " + Base64.getEncoder().encodeToString(
                (e.user() + ":" + e.password()).getBytes(StandardCharsets.UTF_8)));
    }
}
