package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The SSRF guard of direct fetching. Every URL the fetcher opens for version control (go-import
 * discovery, git's own requests, and every redirect hop of either) passes {@link #check} first:
 * <ul>
 *   <li>the scheme is https, or http only when the module matches {@code modproxy.insecure};</li>
 *   <li>the host resolves, and none of its addresses is a wildcard, multicast, link-local
 *       (169.254.0.0/16 with the cloud metadata endpoint, fe80::/10) or a known metadata address
 *       (fd00:ec2::254);</li>
 *   <li>loopback (127.0.0.0/8, ::1) only with {@code modproxy.vcs.allow-loopback=true}.</li>
 * </ul>
 * A host that does not resolve is "not found" (404), like a module nobody has; a refused
 * address is a bad request (400): the module path itself points where modproxy will not go.
 */
public final class NetGuard {

    private final boolean allowLoopback;

    public NetGuard(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    public void check(URI uri, boolean insecureAllowed) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
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
            String why = refusal(a);
            if (why != null) {
                throw new FetchException(Kind.BAD_REQUEST, "refusing to fetch from " + host + " (" + a.getHostAddress()
                        + "): " + why, "direct", null);
            }
        }
    }

    private String refusal(InetAddress a) {
        if (a.isAnyLocalAddress()) {
            return "wildcard address";
        }
        if (a.isMulticastAddress()) {
            return "multicast address";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local address (cloud metadata lives there)";
        }
        if (a instanceof Inet6Address && a.getHostAddress().startsWith("fd00:ec2:")) {
            return "cloud metadata address";
        }
        if (a.isLoopbackAddress() && !allowLoopback) {
            return "loopback address (modproxy.vcs.allow-loopback is false)";
        }
        return null;
    }
}
