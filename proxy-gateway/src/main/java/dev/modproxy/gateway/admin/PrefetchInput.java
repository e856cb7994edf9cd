package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModuleVersion;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a prefetch was asked for, read from one of three inputs (told apart by their content):
 * <ul>
 *   <li>a {@code go.sum}: every line {@code <path> <version>[/go.mod] h1:<hash>}; a version seen
 *       only with {@code /go.mod} is fetched as its go.mod alone (that is all go needs of it);</li>
 *   <li>a {@code go.mod} (it has a {@code module} or {@code require} directive): its
 *       requirements, and the new side of replacements that name a version;</li>
 *   <li>a list: {@code <path>@<version>} separated by white space or commas; {@code #} starts a
 *       comment.</li>
 * </ul>
 * Versions must be canonical (no queries: a prefetch is for exact builds). Any bad line is a
 * 400 that names it; nothing starts.
 */
record PrefetchInput(String format, Map<ModuleVersion, Boolean> versions) {

    /** {@code versions}: version → true for the whole version, false for its go.mod only. */
    static PrefetchInput parse(byte[] body) throws ProxyException {
        String text = new String(body, StandardCharsets.UTF_8);
        Map<ModuleVersion, Boolean> out = new LinkedHashMap<>();
        if (looksLikeGoSum(text)) {
            for (String line : text.split("\n")) {
                String[] f = line.strip().split("\\s+");
                if (f.length != 3) {
                    continue;
                }
                boolean modOnly = f[1].endsWith("/go.mod");
                ModuleVersion mv = version(f[0], modOnly ? f[1].substring(0, f[1].length() - 7) : f[1], line);
                out.merge(mv, !modOnly, Boolean::logicalOr);
            }
            return new PrefetchInput("go.sum", out);
        }
        if (text.lines().anyMatch(l -> l.strip().startsWith("module ") || l.strip().startsWith("require"))) {
            GoMod mod;
            try {
                // Strict, as go reads the main module's go.mod: lax parsing drops replace directives.
                mod = GoMod.parse("go.mod", body);
            } catch (GoModException e) {
                throw new ProxyException(Kind.BAD_REQUEST, "go.mod: " + e.getMessage());
            }
            for (GoMod.Require r : mod.requires()) {
                out.put(version(r.path(), r.version(), r.path() + " " + r.version()), true);
            }
            for (GoMod.Replace r : mod.replaces()) {
                if (r.newVersion() != null && !r.newVersion().isEmpty()) {
                    out.put(version(r.newPath(), r.newVersion(), r.newPath() + " " + r.newVersion()), true);
                }
            }
            return new PrefetchInput("go.mod", out);
        }
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            for (String item : content.split("[\\s,]+")) {
                if (item.isEmpty()) {
                    continue;
                }
                int at = item.lastIndexOf('@');
                if (at <= 0) {
                    throw new ProxyException(Kind.BAD_REQUEST, "\"" + item + "\": expected <module>@<version>");
                }
                out.put(version(item.substring(0, at), item.substring(at + 1), item), true);
            }
        }
        if (out.isEmpty()) {
            throw new ProxyException(Kind.BAD_REQUEST, "nothing to prefetch: send a go.mod, a go.sum or module@version lines");
        }
        return new PrefetchInput("list", out);
    }

    private static boolean looksLikeGoSum(String text) {
        boolean any = false;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length != 3 || !f[2].startsWith("h1:")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private static ModuleVersion version(String path, String version, String where) throws ProxyException {
        try {
            ModuleVersion mv = ModuleVersion.of(path, version);
            if (!mv.isCanonical()) {
                throw new ProxyException(Kind.BAD_REQUEST, where + ": " + version + " is not a canonical version");
            }
            return mv;
        } catch (GoModException e) {
            throw new ProxyException(Kind.BAD_REQUEST, where + ": " + e.getMessage());
        }
    }
}
