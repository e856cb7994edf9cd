package dev.modproxy.gomod.env;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed GOPROXY setting, read exactly as {@code cmd/go/internal/modfetch.proxyList} reads it.
 *
 * <p>Rules:
 * <ul>
 *   <li>An unset or empty GOPROXY means {@value #DEFAULT} ({@link #fromEnvironment}).</li>
 *   <li>Elements are separated by {@code ,} or {@code |}. The separator after an element says
 *       when to fall back to the next one: after {@code ,} only on "not found" (HTTP 404 or
 *       410), after {@code |} on any error. The last element never falls back.</li>
 *   <li>Elements are trimmed of surrounding white space; empty elements are skipped.</li>
 *   <li>{@code off} and {@code direct} end the list: whatever follows them is ignored (and not
 *       even checked), for forward compatibility.</li>
 *   <li>An element containing one of {@code . : /} that contains no {@code :/} and is not an
 *       absolute file path gets {@code https://} prepended. Other single words are left alone,
 *       so they fail the scheme check below.</li>
 *   <li>The URL must parse (Go's net/url) with scheme https, http or file; a file URL may
 *       have nothing but a path ({@code file:///dir}). Errors: {@code invalid proxy URL
 *       missing scheme: U}, {@code invalid proxy URL scheme (must be https, http, file): U},
 *       {@code invalid file:// proxy URL with non-path elements: U}, with U the URL redacted
 *       of passwords.</li>
 *   <li>A non-empty setting that yields no element at all is an error: {@code GOPROXY list
 *       is not the empty string, but contains no entries}.</li>
 * </ul>
 * The implicit "noproxy" step cmd/go adds for GONOPROXY is not part of this list; see
 * {@link ModulePrivacy#bypassesProxy}.
 *
 * <p>Inconsistent components are a programming error in the constructor
 * ({@code IllegalArgumentException}); settings from the environment go through {@link #parse}.
 *
 * @param entries the elements in order, never empty
 */
public record ProxyList(List<ProxyEntry> entries) {

    /** cmd/go's default GOPROXY. */
    public static final String DEFAULT = "https://proxy.golang.org,direct";

    public ProxyList {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a proxy list has at least one entry");
        }
    }

    /** Parses the GOPROXY environment value, with {@code null} or "" meaning the default. */
    public static ProxyList fromEnvironment(String goproxy) throws GoModException {
        return parse(goproxy == null || goproxy.isEmpty() ? DEFAULT : goproxy);
    }

    /** Parses a GOPROXY value literally (the empty string is an error here). */
    public static ProxyList parse(String goproxy) throws GoModException {
        List<ProxyEntry> list = new ArrayList<>();
        String rest = goproxy;
        while (!rest.isEmpty()) {
            int sep = indexOfSeparator(rest);
            String element = sep < 0 ? rest : rest.substring(0, sep);
            boolean anyError = sep >= 0 && rest.charAt(sep) == '|';
            rest = sep < 0 ? "" : rest.substring(sep + 1);

            element = GoText.trimSpace(element);
            if (element.isEmpty()) {
                continue;
            }
            if (element.equals("off")) {
                list.add(ProxyEntry.off());
                break;
            }
            if (element.equals("direct")) {
                list.add(ProxyEntry.direct());
                break;
            }
            String url = impliedHttps(element) ? "https://" + element : element;
            checkProxyUrl(url);
            list.add(new ProxyEntry(ProxyEntry.Kind.URL, url, anyError));
        }
        if (list.isEmpty()) {
            throw new GoModException(GoModException.Kind.INVALID_SETTING,
                    "GOPROXY list is not the empty string, but contains no entries");
        }
        return new ProxyList(list);
    }

    /** True if the list ends in {@code off}: lookups not satisfied earlier are refused. */
    public boolean endsWithOff() {
        return entries.get(entries.size() - 1).kind() == ProxyEntry.Kind.OFF;
    }

    private static int indexOfSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ',' || s.charAt(i) == '|') {
                return i;
            }
        }
        return -1;
    }

    private static boolean impliedHttps(String url) {
        boolean hasDelimiter = url.indexOf('.') >= 0 || url.indexOf(':') >= 0 || url.indexOf('/') >= 0;
        // On Unix filepath.IsAbs and path.IsAbs are both "starts with a slash".
        return hasDelimiter && !url.contains(":/") && !url.startsWith("/");
    }

    private static void checkProxyUrl(String url) throws GoModException {
        GoUrl base = GoUrl.parse(url);
        switch (base.scheme()) {
            case "http", "https" -> {
            }
            case "file" -> {
                if (!base.onlySchemeAndPath()) {
                    throw invalid("invalid file:// proxy URL with non-path elements: " + base.redacted());
                }
            }
            case "" -> throw invalid("invalid proxy URL missing scheme: " + base.redacted());
            default -> throw invalid("invalid proxy URL scheme (must be https, http, file): "
                    + base.redacted());
        }
    }

    private static GoModException invalid(String message) {
        return new GoModException(GoModException.Kind.INVALID_SETTING, message);
    }
}
