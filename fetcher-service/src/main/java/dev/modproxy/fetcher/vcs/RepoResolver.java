package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;

import javax.net.ssl.TrustManager;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Module path → repository, as the {@code go} command maps it (cmd/go/internal/vcs,
 * RepoRootForImportPath):
 * <ol>
 *   <li>Known hosts: {@code github.com/o/r}, {@code bitbucket.org/o/r},
 *       {@code hub.jazz.net/git/u/r}, {@code git.apache.org/r.git},
 *       {@code git.openstack.org/o/r}: git over https, root from the host's pattern.</li>
 *   <li>A path element ending in {@code .git}, {@code .hg}, {@code .svn}, {@code .bzr},
 *       {@code .fossil} after a host name: the root ends there; the URL is the root without the
 *       suffix, on the first scheme that answers ({@code https}, then {@code http} only for
 *       {@code modproxy.insecure} modules).</li>
 *   <li>Otherwise {@code https://<path>?go-get=1} (falling back to http for insecure modules) and
 *       its {@code <meta name="go-import" content="prefix vcs url">} tags: exactly one whose
 *       prefix is a path prefix of the module; a prefix other than the module path itself is
 *       re-checked at {@code https://<prefix>?go-get=1}, which must say the same.</li>
 * </ol>
 * Only git is fetched; other systems (and go-import's {@code mod}) are a clear 404
 * "unsupported VCS". git:// and ssh are not used.
 */
final class RepoResolver {

    private record Static(String prefix, Pattern pattern, boolean noVcsSuffix) {
    }

    private static final List<Static> STATIC = List.of(
            new Static("github.com", Pattern.compile("^(?<root>github\\.com/[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+)(/[A-Za-z0-9_.\\-]+)*$"), true),
            new Static("bitbucket.org", Pattern.compile("^(?<root>bitbucket\\.org/(?<bitname>[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+))(/[A-Za-z0-9_.\\-]+)*$"), true),
            new Static("hub.jazz.net/git", Pattern.compile("^(?<root>hub\\.jazz\\.net/git/[a-z0-9]+/[A-Za-z0-9_.\\-]+)(/[A-Za-z0-9_.\\-]+)*$"), true),
            new Static("git.apache.org", Pattern.compile("^(?<root>git\\.apache\\.org/[a-z0-9_.\\-]+\\.git)(/[A-Za-z0-9_.\\-]+)*$"), false),
            new Static("git.openstack.org", Pattern.compile("^(?<root>git\\.openstack\\.org/[A-Za-z0-9_.\\-]+/[A-Za-z0-9_.\\-]+)(\\.git)?(/[A-Za-z0-9_.\\-]+)*$"), false));

    private static final Pattern GENERIC = Pattern.compile(
            "(?<root>(?<repo>([a-z0-9.\\-]+\\.)+[a-z0-9.\\-]+(:[0-9]+)?(/~?[A-Za-z0-9_.\\-]+)+?)\\.(?<vcs>bzr|fossil|git|hg|svn))(/~?[A-Za-z0-9_.\\-]+)*$");

    /** Checks that a URL answers as a git repository (git ls-remote). */
    interface Prober {
        void probe(String url, boolean insecure, boolean privateModule) throws FetchException;
    }

    private final NetGuard guard;
    private final Credentials credentials;
    private final TrustManager[] trust;
    private final Duration timeout;
    private final Prober prober;

    RepoResolver(NetGuard guard, Credentials credentials, TrustManager[] trust, Duration timeout, Prober prober) {
        this.guard = guard;
        this.credentials = credentials;
        this.trust = trust;
        this.timeout = timeout;
        this.prober = prober;
    }

    /**
     * The repository of module path {@code path}; {@code privateModule}: it matches
     * {@code modproxy.private}, so the hosts' credentials are sent and internal addresses reached.
     */
    RepoRoot resolve(String path, boolean insecure, boolean privateModule) throws FetchException {
        if (path.startsWith("https:") || path.startsWith("http:")) {
            throw new FetchException(Kind.BAD_REQUEST, "\"" + path.substring(0, path.indexOf(':') + 1) + "//\" not allowed in import path");
        }
        for (Static s : STATIC) {
            if (!hasPathPrefix(path, s.prefix())) {
                continue;
            }
            Matcher m = s.pattern().matcher(path);
            if (!m.find()) {
                throw new FetchException(Kind.NOT_FOUND, "invalid " + s.prefix() + " import path \"" + path + "\"");
            }
            String root = m.group("root");
            if (s.noVcsSuffix()) {
                for (String suffix : List.of(".bzr", ".fossil", ".git", ".hg", ".svn")) {
                    if (root.endsWith(suffix)) {
                        throw new FetchException(Kind.NOT_FOUND, "invalid version control suffix in " + s.prefix() + "/ path");
                    }
                }
            }
            return new RepoRoot(root, "https://" + root, "git");
        }
        Matcher m = GENERIC.matcher(path);
        if (m.find()) {
            String vcs = m.group("vcs");
            String root = m.group("root");
            if (!vcs.equals("git")) {
                throw unsupported(vcs, root);
            }
            return new RepoRoot(root, probeScheme(m.group("repo"), insecure, privateModule), vcs);
        }
        RepoRoot dynamic = discover(path, insecure, privateModule);
        if (!dynamic.vcs().equals("git")) {
            throw unsupported(dynamic.vcs(), dynamic.root());
        }
        return dynamic;
    }

    private static FetchException unsupported(String vcs, String root) {
        return new FetchException(Kind.NOT_FOUND, root + ": unsupported VCS \"" + vcs
                + "\": modproxy fetches git repositories only", "direct", null);
    }

    private String probeScheme(String repo, boolean insecure, boolean privateModule) throws FetchException {
        List<String> schemes = insecure ? List.of("https", "http") : List.of("https");
        FetchException last = null;
        for (String scheme : schemes) {
            String url = scheme + "://" + repo;
            try {
                prober.probe(url, insecure, privateModule);
                return url;
            } catch (FetchException e) {
                if (e.kind() == Kind.BAD_REQUEST) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private RepoRoot discover(String path, boolean insecure, boolean privateModule) throws FetchException {
        Page page = metaPage(path, insecure, privateModule);
        MetaImport mi = match(page.imports(), path, page.url());
        if (!mi.prefix().equals(path)) {
            Page again = metaPage(mi.prefix(), insecure, privateModule);
            MetaImport mi2;
            try {
                mi2 = match(again.imports(), path, again.url());
            } catch (FetchException e) {
                mi2 = null;
            }
            if (!mi.equals(mi2)) {
                throw new FetchException(Kind.NOT_FOUND, page.url() + " and " + again.url()
                        + " disagree about go-import for " + mi.prefix(), "direct", null);
            }
        }
        URI repo;
        try {
            repo = URI.create(mi.repoRoot());
        } catch (IllegalArgumentException e) {
            throw new FetchException(Kind.NOT_FOUND, page.url() + ": invalid repo root \"" + mi.repoRoot() + "\"");
        }
        if (repo.getScheme() == null || repo.getScheme().equals("file")) {
            throw new FetchException(Kind.NOT_FOUND, page.url() + ": invalid repo root \"" + mi.repoRoot() + "\": "
                    + (repo.getScheme() == null ? "no scheme" : "file scheme disallowed"));
        }
        if (mi.vcs().equals("mod")) {
            throw new FetchException(Kind.NOT_FOUND, mi.prefix() + ": go-import names a module proxy (\"mod\"),"
                    + " which modproxy does not follow; list it in modproxy.upstream instead", "direct", null);
        }
        return new RepoRoot(mi.prefix(), mi.repoRoot(), mi.vcs());
    }

    record MetaImport(String prefix, String vcs, String repoRoot) {
    }

    private record Page(String url, List<MetaImport> imports) {
    }

    private static MetaImport match(List<MetaImport> imports, String path, String url) throws FetchException {
        MetaImport found = null;
        List<String> mismatches = new ArrayList<>();
        for (MetaImport mi : imports) {
            if (!hasPathPrefix(path, mi.prefix())) {
                mismatches.add(mi.prefix());
                continue;
            }
            if (found != null) {
                if (found.vcs().equals("mod") && !mi.vcs().equals("mod")) {
                    break;
                }
                throw new FetchException(Kind.NOT_FOUND, "parse " + url + ": multiple meta tags match import path \"" + path + "\"");
            }
            found = mi;
        }
        if (found == null) {
            StringBuilder b = new StringBuilder();
            for (String p : mismatches) {
                b.append(b.length() == 0 ? "" : ", ").append("meta tag ").append(p).append(" did not match import path ").append(path);
            }
            throw new FetchException(Kind.NOT_FOUND, "unrecognized import path \"" + path + "\": parse " + url
                    + ": no go-import meta tags (" + b + ")", "direct", null);
        }
        return found;
    }

    private Page metaPage(String importPath, boolean insecure, boolean privateModule) throws FetchException {
        int slash = importPath.indexOf('/');
        String host = slash < 0 ? importPath : importPath.substring(0, slash);
        String p = slash < 0 ? "/" : importPath.substring(slash);
        if (!host.contains(".")) {
            throw new FetchException(Kind.NOT_FOUND, "unrecognized import path \"" + importPath
                    + "\": import path does not begin with hostname");
        }
        FetchException first = null;
        for (String scheme : insecure ? List.of("https", "http") : List.of("https")) {
            String url = scheme + "://" + host + p + "?go-get=1";
            try {
                return new Page(url, parseMeta(get(URI.create(url), insecure, privateModule)));
            } catch (FetchException e) {
                if (Deadline.current().expired()) {
                    throw Deadline.current().timeout("go-import discovery", url); // the telling error, whichever scheme
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /**
     * One go-import page, following redirects (each hop checked by the guard), through the same
     * guarded connections as git: cut at the request's deadline however slowly the body drips.
     */
    private String get(URI uri, boolean insecure, boolean privateModule) throws FetchException {
        Credentials creds = credentials.forModules(privateModule);
        GuardedConnectionFactory factory = new GuardedConnectionFactory(guard, insecure, privateModule, trust, Long.MAX_VALUE);
        for (int hop = 0; hop < 10; hop++) {
            GuardedConnection c = null;
            try {
                c = factory.create(uri.toURL(), null);
                c.setInstanceFollowRedirects(false);
                c.setConnectTimeout((int) timeout.toMillis());
                c.setReadTimeout((int) timeout.toMillis());
                c.setRequestProperty("User-Agent", "modproxy-fetcher");
                GuardedConnection conn = c;
                creds.basicAuth(uri.getHost()).ifPresent(a -> conn.setRequestProperty("Authorization", a));
                int status = c.getResponseCode();
                String location = c.getHeaderField("Location");
                if (status / 100 == 3 && location != null) {
                    uri = uri.resolve(location);
                    continue;
                }
                try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    String body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
                    if (status != 200 && !body.toLowerCase(Locale.ROOT).contains("go-import")) {
                        throw new FetchException(status == 404 || status == 410 ? Kind.NOT_FOUND : Kind.UPSTREAM_FAILED,
                                "unrecognized import path: reading " + uri + ": " + status, "direct", null);
                    }
                    return body;
                }
            } catch (IOException | IllegalArgumentException e) {
                throw GitErrors.map("go-import discovery", uri.toString(), e);
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
        }
        throw new FetchException(Kind.UPSTREAM_FAILED, "go-import discovery: too many redirects from " + uri, "direct", null);
    }

    private static final Pattern META = Pattern.compile("<meta\\s+([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTR = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s\"'>/]+))");

    /** parseMetaGoImports: go-import tags in the head (reading stops at {@code <body} or {@code </head>}). */
    static List<MetaImport> parseMeta(String html) {
        String lower = html.toLowerCase(Locale.ROOT);
        int end = html.length();
        for (String stop : List.of("<body", "</head")) {
            int i = lower.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        List<MetaImport> imports = new ArrayList<>();
        Matcher m = META.matcher(html.substring(0, end));
        while (m.find()) {
            String name = null;
            String content = null;
            Matcher a = ATTR.matcher(m.group(1));
            while (a.find()) {
                String v = a.group(3) != null ? a.group(3) : a.group(4) != null ? a.group(4) : a.group(5);
                v = unescape(v);
                if (a.group(1).equalsIgnoreCase("name")) {
                    name = v;
                } else if (a.group(1).equalsIgnoreCase("content")) {
                    content = v;
                }
            }
            if (!"go-import".equals(name) || content == null) {
                continue;
            }
            String[] f = content.strip().split("\\s+");
            if (f.length == 3) {
                imports.add(new MetaImport(f[0], f[1], f[2]));
            }
        }
        // PreferMod: "mod" entries come first, as go sorts them
        List<MetaImport> sorted = new ArrayList<>(imports.stream().filter(i -> i.vcs().equals("mod")).toList());
        imports.stream().filter(i -> !i.vcs().equals("mod")).forEach(sorted::add);
        return sorted;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    static boolean hasPathPrefix(String s, String prefix) {
        return prefix.isEmpty() || CodeRepo.hasPathPrefix(s, prefix);
    }
}
