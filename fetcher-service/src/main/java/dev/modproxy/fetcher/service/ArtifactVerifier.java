package dev.modproxy.fetcher.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.zip.ModuleZip;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks what an upstream sent before anything is stored; a failed check is an upstream fault
 * (502) whose message says what was wrong, and nothing of that version is kept.
 * <ul>
 *   <li>{@code .info}: JSON with a {@code Version} that is the requested version (or, for a
 *       query, a canonical version valid for the module path) and, if present, an RFC 3339
 *       {@code Time}. A canonical version that does not fit the path (v2.0.0 of a path without
 *       /v2) is a query, as go's proxyRepo.Stat treats it: it may name v2.0.0+incompatible.</li>
 *   <li>{@code .mod}: parses as a go.mod (lax, as the {@code go} command reads dependencies)
 *       and its module directive names the requested module.</li>
 *   <li>{@code .zip}: passes gomod's module zip check for exactly this module version (prefix,
 *       paths, sizes, collisions), and its go.mod, when it has one, is byte for byte the
 *       {@code .mod} served for the same version — unless the version is {@code +incompatible},
 *       whose {@code .mod} is synthesized.</li>
 * </ul>
 */
@ApplicationScoped
public class ArtifactVerifier {

    /** A checked {@code .info}: the version it names. */
    public record Info(String version, byte[] json) {
    }

    private final ObjectMapper json;

    public ArtifactVerifier(ObjectMapper json) {
        this.json = json;
    }

    /** Checks an {@code .info} answered for {@code requested} (a version or a query). */
    public Info info(ModulePath module, String requested, byte[] body, String upstream) throws FetchException {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw bad(upstream, module.value() + "@" + requested + ": .info is not JSON");
        }
        JsonNode v = node == null ? null : node.get("Version");
        if (v == null || !v.isTextual()) {
            throw bad(upstream, module.value() + "@" + requested + ": .info has no Version");
        }
        String version = v.asText();
        if (isVersionFor(module, requested) && !version.equals(requested)) {
            throw bad(upstream, module.value() + "@" + requested + ": .info names version " + version);
        }
        try {
            ModuleVersion mv = ModuleVersion.of(module, version);
            if (!mv.isCanonical()) {
                throw bad(upstream, module.value() + "@" + requested + ": .info names non-canonical version " + version);
            }
        } catch (GoModException e) {
            throw bad(upstream, module.value() + "@" + requested + ": .info names an invalid version: " + e.getMessage());
        }
        JsonNode time = node.get("Time");
        if (time != null && !time.isNull()) {
            try {
                OffsetDateTime.parse(time.asText());
            } catch (DateTimeParseException e) {
                throw bad(upstream, module.value() + "@" + version + ": .info has a malformed Time " + time);
            }
        }
        return new Info(version, body);
    }

    /**
     * Whether {@code requested} names one version of the module rather than a query: canonical and
     * valid for the path (go's proxyRepo.Stat: {@code rev == module.CanonicalVersion(rev) &&
     * module.Check(path, rev) == nil}). Only then must the {@code .info} name exactly it; v2.0.0
     * of a path without /v2 is a query that may resolve to v2.0.0+incompatible.
     */
    public static boolean isVersionFor(ModulePath module, String requested) {
        if (!requested.equals(ModulePaths.canonicalVersion(requested))) {
            return false;
        }
        try {
            ModulePaths.check(module.value(), requested);
            return true;
        } catch (GoModException e) {
            return false;
        }
    }

    /** Checks a {@code .mod} for {@code mv}. */
    public void mod(ModuleVersion mv, byte[] body, String upstream) throws FetchException {
        if (body.length > ModuleZip.MAX_GO_MOD) {
            throw bad(upstream, mv + ": go.mod is larger than " + ModuleZip.MAX_GO_MOD + " bytes");
        }
        GoMod mod;
        try {
            mod = GoMod.parseLax("go.mod", body);
        } catch (GoModException e) {
            throw bad(upstream, mv + ": malformed go.mod: " + e.getMessage());
        }
        if (!mv.path().value().equals(mod.modulePath())) {
            throw bad(upstream, mv + ": go.mod names module \"" + mod.modulePath() + "\", not \"" + mv.path().value() + "\"");
        }
    }

    /** Checks a downloaded zip for {@code mv} against the {@code .mod} served for it. */
    public void zip(ModuleVersion mv, Path zip, byte[] mod, String upstream) throws FetchException {
        try {
            var checked = ModuleZip.checkZip(mv, zip);
            var error = checked.error();
            if (error.isPresent()) {
                throw bad(upstream, mv + ": invalid module zip: " + error.get().getMessage());
            }
        } catch (GoModException e) {
            throw bad(upstream, mv + ": invalid module zip: " + e.getMessage());
        }
        if (mv.isIncompatible()) {
            return;
        }
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            ZipEntry goMod = zf.getEntry(ModuleZip.prefix(mv) + "go.mod");
            if (goMod != null) {
                byte[] inZip;
                try (var in = zf.getInputStream(goMod)) {
                    inZip = in.readNBytes((int) ModuleZip.MAX_GO_MOD + 1);
                }
                if (!Arrays.equals(inZip, mod)) {
                    throw bad(upstream, mv + ": the zip's go.mod differs from the .mod served for it");
                }
            }
        } catch (IOException e) {
            throw bad(upstream, mv + ": invalid module zip: " + e.getMessage());
        }
    }

    private static FetchException bad(String upstream, String what) {
        return new FetchException(Kind.UPSTREAM_FAILED, what + " (from " + upstream + ")", upstream, null);
    }
}
