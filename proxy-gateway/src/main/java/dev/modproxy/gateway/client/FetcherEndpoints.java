package dev.modproxy.gateway.client;

import org.jboss.logging.Logger;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The fetcher endpoints of {@code modproxy.fetcher.endpoints}, turned into the ring's members.
 *
 * <p>Entry rules (comma-separated, mixed freely):
 * <ul>
 *   <li>{@code http://host:port} or {@code https://…}: a static member, used as written
 *       (normalized: no trailing '/').</li>
 *   <li>{@code dns+http://name:port} (or {@code dns+https://}): every A and AAAA address the name
 *       resolves to is a member {@code http://<ip>:<port>} ({@code [ip]} for IPv6), e.g. a
 *       Kubernetes headless Service, whose name resolves to the ready pods. The port is
 *       required; no path, query or user info. The name is resolved again on every
 *       {@link #resolve}; when it cannot be resolved (or resolves to nothing) the entry keeps its
 *       last good addresses, and that is logged once per outage, not on every refresh.</li>
 * </ul>
 * Members are returned in a stable order (entries in order, each entry's addresses sorted), so an
 * unchanged answer gives an equal list and the ring is not rebuilt.
 */
public final class FetcherEndpoints {

    private static final Logger LOG = Logger.getLogger(FetcherEndpoints.class);

    /** One configured entry: static (no name to resolve) or a DNS name with its last good members. */
    private static final class Entry {
        final URI configured;
        final String scheme;
        final String name;
        final int port;
        List<URI> lastGood = List.of();
        boolean failing;

        Entry(URI configured, String scheme, String name, int port) {
            this.configured = configured;
            this.scheme = scheme;
            this.name = name;
            this.port = port;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Function<String, List<InetAddress>> resolver;

    /**
     * @param configured the entries as configured
     * @param resolver   a name to all its addresses; throws (any runtime exception, e.g. an
     *                   {@link java.io.UncheckedIOException} around an {@code UnknownHostException})
     *                   when the name cannot be resolved
     * @throws IllegalArgumentException for a malformed entry, naming it
     */
    public FetcherEndpoints(List<URI> configured, Function<String, List<InetAddress>> resolver) {
        this.resolver = resolver;
        for (URI uri : configured) {
            String s = uri.toString().strip();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                continue;
            }
            URI u = URI.create(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.startsWith("dns+")) {
                String inner = scheme.substring("dns+".length());
                if (!inner.equals("http") && !inner.equals("https")) {
                    throw new IllegalArgumentException("modproxy.fetcher.endpoints: " + s + ": dns+ takes http or https");
                }
                if (u.getHost() == null || u.getPort() < 0 || (u.getRawPath() != null && !u.getRawPath().isEmpty())
                        || u.getRawQuery() != null || u.getRawUserInfo() != null) {
                    throw new IllegalArgumentException("modproxy.fetcher.endpoints: " + s + ": expected " + scheme + "://<name>:<port>");
                }
                entries.add(new Entry(u, inner, u.getHost(), u.getPort()));
            } else if (scheme.equals("http") || scheme.equals("https")) {
                Entry e = new Entry(u, scheme, null, -1);
                e.lastGood = List.of(u);
                entries.add(e);
            } else {
                throw new IllegalArgumentException("modproxy.fetcher.endpoints: " + s + ": expected http://, https:// or dns+http://");
            }
        }
    }

    /** The JDK's resolver: {@link InetAddress#getAllByName} (its cache: see {@code GatewayMain}). */
    public static List<InetAddress> systemResolver(String name) {
        try {
            return List.of(InetAddress.getAllByName(name));
        } catch (java.net.UnknownHostException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether any entry is a DNS name, i.e. whether {@link #resolve} can ever answer differently. */
    public boolean dynamic() {
        return entries.stream().anyMatch(e -> e.name != null);
    }

    /** Resolves every DNS entry now and returns all members, duplicates counted once. */
    public synchronized List<URI> resolve() {
        Set<URI> members = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (e.name != null) {
                refresh(e);
            }
            members.addAll(e.lastGood);
        }
        return List.copyOf(members);
    }

    private void refresh(Entry e) {
        List<InetAddress> addresses;
        try {
            addresses = resolver.apply(e.name);
        } catch (RuntimeException failure) {
            if (!e.failing) {
                LOG.warnf("cannot resolve fetcher endpoint %s (%s); keeping its last %d address(es) until it resolves again",
                        e.configured, failure.getCause() != null ? failure.getCause() : failure, e.lastGood.size());
                e.failing = true;
            }
            return;
        }
        if (addresses == null || addresses.isEmpty()) {
            if (!e.failing) {
                LOG.warnf("fetcher endpoint %s resolves to no address; keeping its last %d address(es)", e.configured, e.lastGood.size());
                e.failing = true;
            }
            return;
        }
        if (e.failing) {
            LOG.infof("fetcher endpoint %s resolves again", e.configured);
            e.failing = false;
        }
        List<String> hosts = new ArrayList<>();
        for (InetAddress a : addresses) {
            String ip = a.getHostAddress();
            int zone = ip.indexOf('%');
            if (zone >= 0) {
                ip = ip.substring(0, zone);
            }
            hosts.add(a instanceof Inet6Address ? "[" + ip + "]" : ip);
        }
        hosts.sort(null);
        List<URI> out = new ArrayList<>();
        for (String h : new LinkedHashSet<>(hosts)) {
            out.add(URI.create(e.scheme + "://" + h + ":" + e.port));
        }
        e.lastGood = List.copyOf(out);
    }
}
