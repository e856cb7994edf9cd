package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SSRF guard of direct fetching. Every URL the fetcher opens for version control (go-import
 * discovery, git's own requests, and every redirect hop of either) passes {@link #check} first,
 * and every https socket is checked again against the address it actually connects to
 * ({@link CheckedSocketFactory}), so a name that resolves differently the second time (DNS
 * rebinding) gains nothing:
 * <ul>
 *   <li>the scheme is https, or http only when the module matches {@code modproxy.insecure};</li>
 *   <li>the host resolves (else 404, like a module nobody has);</li>
 *   <li>never: wildcard (0.0.0.0/8, ::), multicast, broadcast, link-local (169.254.0.0/16 with
 *       the cloud metadata endpoint, fe80::/10) and the other metadata addresses
 *       (fd00:ec2::254, 100.100.100.200);</li>
 *   <li>loopback (127.0.0.0/8, ::1) only with {@code modproxy.vcs.allow-loopback=true};</li>
 *   <li>internal addresses — private (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), ULA
 *       (fc00::/7), site-local (fec0::/10), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) — only for
 *       modules matching {@code modproxy.private}, or for hosts listed in
 *       {@code modproxy.vcs.allow-hosts}. Anyone can ask for {@code evil.example/x}; only the
 *       company's own modules may reach the company's network.</li>
 * </ul>
 * A refused address is a bad request (400): the module path itself points where modproxy will
 * not go.
 */
public final class NetGuard {

    private final boolean allowLoopback;
    private final Set<String> allowHosts;

    public NetGuard(boolean allowLoopback) {
        this(allowLoopback, Set.of());
    }

    public NetGuard(boolean allowLoopback, Collection<String> allowHosts) {
        this.allowLoopback = allowLoopback;
        this.allowHosts = allowHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** For a module that does not match {@code modproxy.private}. */
    public void check(URI uri, boolean insecureAllowed) throws FetchException {
        check(uri, insecureAllowed, false);
    }

    /**
     * Checks {@code uri} for a module; {@code privateModule}: it matches {@code modproxy.private}
     * (internal addresses allowed).
     */
    public void check(URI uri, boolean insecureAllowed, boolean privateModule) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && insecureAllowed)) {
            throw new FetchException(Kind.BAD_REQUEST, "refusing " + scheme + "://" + uri.getHost()
                    + ": only https" + (insecureAllowed ? " and http are" : " is") + " allowed for this module"
                    + (insecureAllowed ? "" : " (plain http needs modproxy.insecure)"));
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new FetchException(Kind.BAD_REQUEST, "no host in " + uri);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new FetchException(Kind.NOT_FOUND, "unrecognized import path: unknown host " + host, "direct", e);
        }
        for (InetAddress a : addresses) {
            checkAddress(host, a, privateModule);
        }
    }

    /** Checks one address of {@code host} (at resolution, and again at connect time). */
    void checkAddress(String host, InetAddress a, boolean privateModule) throws FetchException {
        String why = refusal(a, privateModule || allowHosts.contains(host.toLowerCase(Locale.ROOT)));
        if (why != null) {
            throw new FetchException(Kind.BAD_REQUEST, "refusing to fetch from " + host + " (" + a.getHostAddress()
                    + "): " + why, "direct", null);
        }
    }

    private String refusal(InetAddress a, boolean internalAllowed) {
        byte[] b = a.getAddress();
        if (a.isAnyLocalAddress() || (a instanceof Inet4Address && b[0] == 0)) {
            return "wildcard address";
        }
        if (a.isMulticastAddress() || (a instanceof Inet4Address && (b[0] & b[1] & b[2] & b[3]) == -1)) {
            return "multicast or broadcast address";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local address (cloud metadata lives there)";
        }
        String text = a.getHostAddress();
        if (text.equals("100.100.100.200") || (a instanceof Inet6Address && text.startsWith("fd00:ec2:"))) {
            return "cloud metadata address";
        }
        if (a.isLoopbackAddress()) {
            return allowLoopback ? null : "loopback address (modproxy.vcs.allow-loopback is false)";
        }
        String internal = internal(a, b);
        if (internal != null && !internalAllowed) {
            return internal + " address: only modules matching modproxy.private (or hosts in modproxy.vcs.allow-hosts)"
                    + " are fetched from internal addresses";
        }
        return null;
    }

    private static String internal(InetAddress a, byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (a instanceof Inet4Address) {
            if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
                return "private";
            }
            if (b0 == 100 && (b1 & 0xc0) == 64) {
                return "carrier-grade NAT";
            }
            return null;
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "unique local";
        }
        if (a.isSiteLocalAddress()) {
            return "site-local";
        }
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            return "NAT64";
        }
        return null;
    }
}
