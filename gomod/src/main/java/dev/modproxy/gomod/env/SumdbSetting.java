package dev.modproxy.gomod.env;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.text.GoText;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed GOSUMDB setting, read as {@code cmd/go/internal/modfetch.dbDial} reads it.
 *
 * <p>Rules:
 * <ul>
 *   <li>Unset or empty means {@code sum.golang.org} ({@link #fromEnvironment}). Exactly
 *       {@code off} disables checksum database lookups.</li>
 *   <li>Exactly {@code sum.golang.google.cn} is an alias for
 *       {@code sum.golang.org https://sum.golang.google.cn}.</li>
 *   <li>Otherwise the value is split into white-space separated fields: {@code key} or
 *       {@code key url}. Zero fields is {@code missing GOSUMDB}, more than two
 *       {@code invalid GOSUMDB: too many fields}.</li>
 *   <li>A key that is a known database name ({@code sum.golang.org}) is replaced by that
 *       database's verifier key, {@value #SUM_GOLANG_ORG_KEY}.</li>
 *   <li>A verifier key is {@code name+hash+keydata}: the name is everything before the first
 *       {@code +} and must be non-empty with no white space; the hash is exactly eight hex
 *       digits; the key data is non-empty padded standard base64. Otherwise
 *       {@code invalid GOSUMDB: malformed verifier id}. Whether the hash and algorithm fit the
 *       key is checked by the note package, not here.</li>
 *   <li>The name must be {@code host[/path]}: {@code https://name} must parse to nothing but
 *       a host and a path that needs no escaping, with no trailing slash. The error message
 *       ends with Go's {@code %+v} dump of the parsed URL. (Where {@code https://name} does
 *       not parse at all, go 1.19 crashes; we report the URL parse error instead.)</li>
 *   <li>The database is reached at the explicit URL if given (which must parse:
 *       {@code invalid GOSUMDB URL: ...}), else at {@code https://name} (possibly through a
 *       proxy, which is not decided here).</li>
 * </ul>
 *
 * <p>Inconsistent components are a programming error in the constructor
 * ({@code IllegalArgumentException}); settings from the environment go through {@link #parse}.
 *
 * @param off  true if GOSUMDB is {@code off}; the other components are then empty
 * @param name the database name (e.g. {@code sum.golang.org})
 * @param key  the full verifier key
 * @param url  the URL to reach the database at, with no trailing slash added or removed
 * @param explicitUrl true if the URL came from the setting rather than from the name
 */
public record SumdbSetting(boolean off, String name, String key, String url, boolean explicitUrl) {

    /** cmd/go's default GOSUMDB. */
    public static final String DEFAULT = "sum.golang.org";

    /** The verifier key of sum.golang.org that cmd/go knows by name. */
    public static final String SUM_GOLANG_ORG_KEY =
            "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    /** The setting that turns checksum database lookups off. */
    public static final SumdbSetting OFF = new SumdbSetting(true, "", "", "", false);

    private static final Map<String, String> KNOWN_KEYS = Map.of(DEFAULT, SUM_GOLANG_ORG_KEY);

    public SumdbSetting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(url, "url");
        if (off != name.isEmpty() || off != key.isEmpty() || off != url.isEmpty()) {
            throw new IllegalArgumentException("an off setting has no name, key or url; others have all");
        }
    }

    /** Parses the GOSUMDB environment value, with {@code null} or "" meaning the default. */
    public static SumdbSetting fromEnvironment(String gosumdb) throws GoModException {
        return parse(gosumdb == null || gosumdb.isEmpty() ? DEFAULT : gosumdb);
    }

    /** Parses a GOSUMDB value literally. */
    public static SumdbSetting parse(String gosumdb) throws GoModException {
        if (gosumdb.equals("off")) {
            return OFF;
        }
        String value = gosumdb.equals("sum.golang.google.cn")
                ? "sum.golang.org https://sum.golang.google.cn" : gosumdb;
        List<String> fields = GoText.fields(value);
        if (fields.isEmpty()) {
            throw invalid("missing GOSUMDB");
        }
        if (fields.size() > 2) {
            throw invalid("invalid GOSUMDB: too many fields");
        }
        String key = KNOWN_KEYS.getOrDefault(fields.get(0), fields.get(0));
        String name = verifierName(key);
        GoUrl direct = GoUrl.parse("https://" + name);
        if (name.endsWith("/") || !direct.onlySchemeHostAndPath() || !direct.rawPath().isEmpty()
                || direct.host().isEmpty()) {
            throw invalid("invalid sumdb name (must be host[/path]): " + name + " "
                    + direct.goStructDump());
        }
        if (fields.size() == 1) {
            return new SumdbSetting(false, name, key, direct.text(), false);
        }
        GoUrl base;
        try {
            base = GoUrl.parse(fields.get(1));
        } catch (GoModException e) {
            throw invalid("invalid GOSUMDB URL: " + e.getMessage());
        }
        return new SumdbSetting(false, name, key, base.text(), true);
    }

    /** The name of a syntactically well-formed verifier key {@code name+hash+keydata}. */
    private static String verifierName(String vkey) throws GoModException {
        int plus1 = vkey.indexOf('+');
        String name = plus1 < 0 ? vkey : vkey.substring(0, plus1);
        String rest = plus1 < 0 ? "" : vkey.substring(plus1 + 1);
        int plus2 = rest.indexOf('+');
        String hash = plus2 < 0 ? rest : rest.substring(0, plus2);
        String data = plus2 < 0 ? "" : rest.substring(plus2 + 1);
        boolean nameOk = !name.isEmpty() && name.codePoints().noneMatch(GoText::isSpace);
        boolean hashOk = hash.length() == 8 && hash.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80);
        if (!nameOk || !hashOk || decodedLength(data) <= 0) {
            throw invalid("invalid GOSUMDB: malformed verifier id");
        }
        return name;
    }

    /** Length of the padded standard base64 text after decoding, or -1 if it is not valid. */
    private static int decodedLength(String b64) {
        // Java's decoder also accepts unpadded input; Go's StdEncoding does not.
        if (b64.length() % 4 != 0) {
            return -1;
        }
        try {
            return Base64.getDecoder().decode(b64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static GoModException invalid(String message) {
        return new GoModException(GoModException.Kind.INVALID_SETTING, message);
    }
}
