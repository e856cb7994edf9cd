package dev.modproxy.gateway.door;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who the client is, by address, behind reverse proxies the operator trusts
 * ({@code modproxy.gateway.trusted-proxies}). Rules:
 * <ol>
 *   <li>A connection from an address that is not a trusted proxy is the client, whatever headers
 *       it sends (anyone can write {@code X-Forwarded-For}).</li>
 *   <li>From a trusted proxy, {@code X-Forwarded-For} (all its fields, in order; a port or
 *       IPv6 brackets some proxies add are dropped) — or, when there
 *       is none, the {@code for=} parameters of {@code Forwarded} (RFC 7239) — is read from the
 *       right: each hop that is itself a trusted proxy is skipped, and the first one that is not
 *       is the client. If every hop is trusted, the leftmost is.</li>
 *   <li>A hop that is not an IP literal (a name, {@code unknown}, an obfuscated identifier,
 *       garbage) ends the walk: the client is the last trusted hop before it, since nothing left
 *       of it can be believed. Names are never resolved.</li>
 * </ol>
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Hex, colons and (for a trailing IPv4 part) dots, with at least one colon: parsed without DNS. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

    private final List<Block> trusted;

    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** {@code trusted}: CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}) or single addresses. */
    public ClientAddress(List<String> trusted) {
        List<Block> blocks = new ArrayList<>();
        for (String t : trusted) {
            String s = t.strip();
            if (s.isEmpty()) {
                continue;
            }
            int slash = s.indexOf('/');
            byte[] net = literal(slash < 0 ? s : s.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("modproxy.gateway.trusted-proxies: not an IP address or CIDR block: " + s);
            }
            int bits = net.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > net.length * 8) {
                    throw new IllegalArgumentException("modproxy.gateway.trusted-proxies: bad prefix length: " + s);
                }
            }
            blocks.add(new Block(net, bits));
        }
        this.trusted = List.copyOf(blocks);
    }

    public boolean trustsAnyone() {
        return !trusted.isEmpty();
    }

    /** The client's address, from the connection's {@code remote} address and the forwarding headers. */
    public String resolve(String remote, List<String> xForwardedFor, List<String> forwarded) {
        if (remote == null || trusted.isEmpty() || !trusted(remote)) {
            return remote;
        }
        List<String> hops = new ArrayList<>();
        if (!xForwardedFor.isEmpty()) {
            for (String h : xForwardedFor) {
                for (String f : h.split(",")) {
                    hops.add(forValue(f)); // some proxies write "ip:port" or "[v6]:port" here too
                }
            }
        } else {
            for (String h : forwarded) {
                for (String element : h.split(",")) {
                    for (String pair : element.split(";")) {
                        String p = pair.strip();
                        if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
                            hops.add(forValue(p.substring(4)));
                        }
                    }
                }
            }
        }
        String client = remote;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = literal(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = canonical(hop, hops.get(i));
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(String address) {
        byte[] a = literal(address);
        return a != null && trusted(a);
    }

    private boolean trusted(byte[] a) {
        for (Block b : trusted) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** A {@code for=} value without quotes, brackets and port: {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}. */
    private static String forValue(String v) {
        String s = v.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : s;
        }
        int colon = s.indexOf(':');
        return colon > 0 && s.indexOf(':', colon + 1) < 0 ? s.substring(0, colon) : s;
    }

    /** The address bytes of an IP literal, or null (never a DNS lookup: only literals get this far). */
    private static byte[] literal(String s) {
        if (s == null || s.length() > 45 || !IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    private static String canonical(byte[] address, String fallback) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return fallback;
        }
    }
}
