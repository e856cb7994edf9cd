package dev.modproxy.gomod.proxy;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.GoModException.Kind;
import dev.modproxy.gomod.module.Escaping;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.semver.Semver;

import dev.modproxy.gomod.text.GoQuote;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One request of the GOPROXY protocol, parsed from the URL path below the proxy's base URL.
 *
 * <p>The protocol (go help goproxy) has five requests, each for a case-escaped module path
 * {@code M} (upper case written as {@code !} + lower case):
 * <pre>
 *   M/@v/list        known versions, one per line          LIST
 *   M/@latest        JSON info of the latest version       LATEST
 *   M/@v/V.info      JSON {"Version","Time"} of version V  INFO
 *   M/@v/V.mod       the go.mod of version V               MOD
 *   M/@v/V.zip       the module zip of version V           ZIP
 * </pre>
 * Rules enforced here, so nothing behind the edge sees a raw string:
 * <ul>
 *   <li>The path is percent-decoded once; a bad escape, NUL, or bytes that are not UTF-8 are
 *       rejected. The decoded path must then be the escaped form of a valid module path, so
 *       {@code ..}, {@code .} and empty elements (which no module path has) never get through,
 *       however they were encoded.</li>
 *   <li>At most {@value #MAX_LENGTH} characters: no module path or version is longer.</li>
 *   <li>V is an escaped version. For .mod and .zip it must be a canonical semantic version that
 *       fits the module path's major version (module.Check). For .info it may also be a query,
 *       such as a branch name or {@code v1.2}, which only the upstream or the VCS can resolve;
 *       proxies such as proxy.golang.org answer those too.</li>
 * </ul>
 * Every rejection is a {@link GoModException} whose one-line message names the offending part.
 */
public record ProxyRequest(ModulePath module, Type type, String version) {

    /** Longest request path accepted, before decoding. */
    public static final int MAX_LENGTH = 2048;

    public enum Type {
        LIST, LATEST, INFO, MOD, ZIP;

        /** The file suffix of a per-version artifact, or null for LIST and LATEST. */
        public String suffix() {
            return switch (this) {
                case INFO -> ".info";
                case MOD -> ".mod";
                case ZIP -> ".zip";
                default -> null;
            };
        }
    }

    /** True if the version is a canonical version rather than a query (only INFO has queries). */
    public boolean isQuery() {
        return version != null && !isCanonical(module, version);
    }

    /** The module version; only for requests that name a canonical version. */
    public ModuleVersion moduleVersion() throws GoModException {
        if (version == null || isQuery()) {
            throw new GoModException(Kind.INVALID_VERSION, "request " + this + " names no canonical version");
        }
        return ModuleVersion.of(module, version);
    }

    /**
     * Parses {@code rawPath}, the request path after the proxy's base URL, without a leading '/'
     * and still percent-encoded as it came off the wire.
     */
    public static ProxyRequest parse(String rawPath) throws GoModException {
        if (rawPath.length() > MAX_LENGTH) {
            throw new GoModException(Kind.INVALID_PATH, "request path too long (" + rawPath.length()
                    + " characters, at most " + MAX_LENGTH + ")");
        }
        String path = percentDecode(rawPath);
        if (path.endsWith("/@latest")) {
            return new ProxyRequest(module(path.substring(0, path.length() - "/@latest".length())), Type.LATEST, null);
        }
        int at = path.indexOf("/@v/");
        if (at < 0) {
            throw new GoModException(Kind.INVALID_PATH, "not a module proxy request: " + GoQuote.quote(path)
                    + " (want <module>/@v/list, <module>/@v/<version>.info|.mod|.zip or <module>/@latest)");
        }
        ModulePath module = module(path.substring(0, at));
        String file = path.substring(at + "/@v/".length());
        if (file.equals("list")) {
            return new ProxyRequest(module, Type.LIST, null);
        }
        for (Type type : new Type[] {Type.INFO, Type.MOD, Type.ZIP}) {
            if (file.endsWith(type.suffix()) && file.length() > type.suffix().length()) {
                String version = Escaping.unescapeVersion(file.substring(0, file.length() - type.suffix().length()));
                // .info also takes queries (branches, prefixes, and semver that does not fit the
                // path: go sends @v/v20.10.0.info for github.com/docker/docker and a proxy answers
                // v20.10.0+incompatible, cmd/go's proxyRepo.Stat allowing a different version
                // exactly when module.Check(path, rev) fails). .mod and .zip need the exact version.
                if (type != Type.INFO) {
                    ModuleVersion mv = ModuleVersion.of(module, version);
                    if (!mv.isCanonical()) {
                        throw new GoModException(Kind.INVALID_VERSION, module.value() + "@" + version
                                + ": invalid version: not a canonical version (" + type.suffix()
                                + " needs one, such as " + GoQuote.quote(ModulePaths.canonicalVersion(version)) + ")");
                    }
                }
                return new ProxyRequest(module, type, version);
            }
        }
        throw new GoModException(Kind.INVALID_PATH, "not a module proxy request: " + GoQuote.quote(path)
                + " (unknown file " + GoQuote.quote(file) + " under @v/)");
    }

    /** Canonical, and right for the path's major version: a version, not a query. */
    private static boolean isCanonical(ModulePath module, String v) {
        if (!Semver.isValid(v) || !v.equals(ModulePaths.canonicalVersion(v))) {
            return false;
        }
        try {
            ModulePaths.check(module.value(), v);
            return true;
        } catch (GoModException e) {
            return false;
        }
    }

    private static ModulePath module(String escaped) throws GoModException {
        return ModulePath.fromEscaped(escaped);
    }

    /** Decodes %XX escapes; rejects malformed escapes, NUL and byte sequences that are not UTF-8. */
    public static String percentDecode(String raw) throws GoModException {
        if (raw.indexOf('%') < 0) {
            checkNoControl(raw);
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new GoModException(Kind.INVALID_PATH, "malformed percent-escape in request path");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new GoModException(Kind.INVALID_PATH, "request path is not valid UTF-8");
        }
        checkNoControl(decoded);
        return decoded;
    }

    private static void checkNoControl(String s) throws GoModException {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                throw new GoModException(Kind.INVALID_PATH, "control character (0x"
                        + Integer.toHexString(s.charAt(i)) + ") in request path");
            }
        }
    }

    @Override
    public String toString() {
        String escaped = module.escaped();
        return switch (type) {
            case LIST -> escaped + "/@v/list";
            case LATEST -> escaped + "/@latest";
            default -> escaped + "/@v/" + escapeQuietly(version) + type.suffix();
        };
    }

    private static String escapeQuietly(String version) {
        try {
            return Escaping.escapeVersion(version);
        } catch (GoModException e) {
            return version;
        }
    }
}
