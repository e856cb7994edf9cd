package dev.modproxy.gomod.env;

import java.util.Objects;

/**
 * One element of a GOPROXY list.
 *
 * <p>Inconsistent components are a programming error in the constructor
 * ({@code IllegalArgumentException}); a GOPROXY setting goes through {@link ProxyList#parse}.
 *
 * @param kind               a proxy URL, or the {@code direct} or {@code off} keyword
 * @param url                for {@link Kind#URL}, the URL as the {@code go} command keeps it
 *                           (with {@code https://} added where it was implied); "" otherwise
 * @param fallBackOnAnyError true if the element was followed by {@code |}: any error from it
 *                           moves on to the next element; otherwise only "not found"
 *                           (404 or 410) does. The flag is kept even on the last
 *                           element, where nothing follows.
 */
public record ProxyEntry(Kind kind, String url, boolean fallBackOnAnyError) {

    /** What an element of the list stands for. */
    public enum Kind {
        /** A module proxy at a URL (https, http or file). */
        URL,
        /** Fetch directly from the version control system. */
        DIRECT,
        /** Disallow fetching; always fails hard. */
        OFF
    }

    public ProxyEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        if ((kind == Kind.URL) == url.isEmpty()) {
            throw new IllegalArgumentException("a URL entry needs a url, a keyword entry none");
        }
        if (kind != Kind.URL && fallBackOnAnyError) {
            throw new IllegalArgumentException(kind + " never falls back");
        }
    }

    static ProxyEntry direct() {
        return new ProxyEntry(Kind.DIRECT, "", false);
    }

    static ProxyEntry off() {
        return new ProxyEntry(Kind.OFF, "", false);
    }

    /**
     * The URL for a path below this proxy: one trailing slash of the proxy URL is dropped
     * before joining, as cmd/go does, so {@code https://p/} and {@code https://p} agree.
     *
     * @param escapedPath a path already escaped for the proxy protocol, without leading slash
     */
    public String resolve(String escapedPath) {
        if (kind != Kind.URL) {
            throw new IllegalStateException(kind + " has no URL");
        }
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base + "/" + escapedPath;
    }
}
