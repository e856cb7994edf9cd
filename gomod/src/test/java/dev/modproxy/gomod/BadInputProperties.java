package dev.modproxy.gomod;

import static org.junit.jupiter.api.Assertions.fail;

import dev.modproxy.gomod.dirhash.DirHash;
import dev.modproxy.gomod.env.GlobMatch;
import dev.modproxy.gomod.env.ModulePrivacy;
import dev.modproxy.gomod.env.PathPatterns;
import dev.modproxy.gomod.env.ProxyList;
import dev.modproxy.gomod.env.SumdbSetting;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.Escaping;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.note.NoteKeys;
import dev.modproxy.gomod.note.Notes;
import dev.modproxy.gomod.note.VerifierList;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.semver.PseudoVersion;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.gomod.tlog.Hash;
import dev.modproxy.gomod.tlog.Record;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.gomod.tlog.Tree;
import dev.modproxy.gomod.zip.ModuleFile;
import dev.modproxy.gomod.zip.ModuleZip;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The error contract of the whole library: on any input, a parser or checker either succeeds or
 * throws {@link GoModException}, and a predicate returns; no unchecked exception escapes. Inputs
 * are strings and texts stitched together from the pieces the formats are made of (numbers at
 * the edges of int and long, separators, escapes, note and tile syntax, invalid UTF-8), so that
 * they get past the first check of each parser.
 */
class BadInputProperties {

    private static final List<String> PIECES = List.of(
            "0", "1", "2", "9", "00", "001", "999", "1000", "2147483647", "2147483648", "4294967296",
            "9223372036854775807", "9223372036854775808", "-1", "+1", "-", "+", ".", "..", "/", "//", "x",
            "x000", ".p", "p", "v", "v1", "v2", "v0.0.0", "-0.", "20060102150405", "99999999999999",
            "abcdefabcdef", "+incompatible", "tile", "data", "@v", "@latest", "list", ".info", ".mod", ".zip",
            "gopkg.in", "example.com", "!", "!a", "A", "%", "%2", "%zz", "%25", "\n", "\n\n", "\r", "\t", " ",
            "\"", "`", "'", "\\", "\\x", "\\u12", "(", ")", "[", "]", ",", "=>", "//", "module", "go", "require",
            "retract", "replace", "exclude", "direct", "off", "|", "*", "?", "[^", "go.sum database tree",
            "— ", "\u2014", "+abcd1234+", "AAAA", "====", "é", "\u00a0", "\u2028", "\ud800", "\udcff",
            "\ud83d\ude00", "\u0000", "https://", "http://[", ":", ":80", "[::1]", "file://", "noproxy");

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of(PIECES).list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> stitched = texts().map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(raw, stitched);
    }

    /** Something that may throw the library's checked error and nothing else. */
    interface Call {
        void run() throws Exception;
    }

    private static void onlyGoModException(String what, Call call) {
        try {
            call.run();
        } catch (GoModException expected) {
            // the contract: bad input is reported with GoModException
        } catch (Exception | Error e) {
            fail(what + " leaked " + e, e);
        }
    }

    @Property(tries = 3000)
    void stringParsers(@ForAll("texts") String s, @ForAll("texts") String t) {
        onlyGoModException("ModulePaths.check", () -> ModulePaths.check(s, t));
        onlyGoModException("ModulePaths.checkPath", () -> ModulePaths.checkPath(s));
        onlyGoModException("ModulePaths.checkImportPath", () -> ModulePaths.checkImportPath(s));
        onlyGoModException("ModulePaths.checkFilePath", () -> ModulePaths.checkFilePath(s));
        onlyGoModException("ModulePaths.checkPathMajor", () -> ModulePaths.checkPathMajor(s, t));
        onlyGoModException("ModulePaths.pathMajorPrefix", () -> ModulePaths.pathMajorPrefix(s));
        onlyGoModException("ModulePaths predicates", () -> {
            ModulePaths.isValidPath(s);
            ModulePaths.splitPathVersion(s);
            ModulePaths.matchPathMajor(s, t);
            ModulePaths.canonicalVersion(s);
        });
        onlyGoModException("Escaping.escapePath", () -> Escaping.escapePath(s));
        onlyGoModException("Escaping.escapeVersion", () -> Escaping.escapeVersion(s));
        onlyGoModException("Escaping.unescapePath", () -> Escaping.unescapePath(s));
        onlyGoModException("Escaping.unescapeVersion", () -> Escaping.unescapeVersion(s));
        onlyGoModException("ModulePath.of", () -> ModulePath.of(s));
        onlyGoModException("ModulePath.fromEscaped", () -> ModulePath.fromEscaped(s));
        onlyGoModException("ModuleVersion.of", () -> ModuleVersion.of(s, t));
        onlyGoModException("ModuleVersion.fromEscaped", () -> ModuleVersion.fromEscaped(s, t));
        onlyGoModException("Semver", () -> {
            Semver.isValid(s);
            Semver.canonical(s);
            Semver.major(s);
            Semver.majorMinor(s);
            Semver.prerelease(s);
            Semver.build(s);
            Semver.compare(s, t);
            Semver.max(s, t);
        });
        onlyGoModException("PseudoVersion predicates", () -> {
            PseudoVersion.isPseudoVersion(s);
            PseudoVersion.isZeroPseudoVersion(s);
        });
        onlyGoModException("PseudoVersion.pseudoVersionTime", () -> PseudoVersion.pseudoVersionTime(s));
        onlyGoModException("PseudoVersion.pseudoVersionRev", () -> PseudoVersion.pseudoVersionRev(s));
        onlyGoModException("PseudoVersion.pseudoVersionBase", () -> PseudoVersion.pseudoVersionBase(s));
        onlyGoModException("ProxyList.parse", () -> ProxyList.parse(s));
        onlyGoModException("ProxyList.fromEnvironment", () -> ProxyList.fromEnvironment(s));
        onlyGoModException("SumdbSetting.parse", () -> SumdbSetting.parse(s));
        onlyGoModException("SumdbSetting.fromEnvironment", () -> SumdbSetting.fromEnvironment(s));
        onlyGoModException("GlobMatch.match", () -> GlobMatch.match(s, t));
        onlyGoModException("GlobMatch.matches", () -> GlobMatch.matches(s, t));
        onlyGoModException("PathPatterns", () -> PathPatterns.matchPrefixPatterns(s, t));
        onlyGoModException("ModulePrivacy", () -> ModulePrivacy.fromEnvironment(s, t, s, t));
        onlyGoModException("ProxyRequest.parse", () -> ProxyRequest.parse(s));
        onlyGoModException("Tile.parse", () -> Tile.parse(s));
        onlyGoModException("Hash.parse", () -> Hash.parse(s));
        onlyGoModException("NoteKeys.newVerifier", () -> NoteKeys.newVerifier(s));
        onlyGoModException("NoteKeys.newSigner", () -> NoteKeys.newSigner(s));
        onlyGoModException("NoteKeys.isValidName", () -> NoteKeys.isValidName(s));
    }

    @Property(tries = 3000)
    void byteParsers(@ForAll("bytes") byte[] b) {
        onlyGoModException("Record.parse", () -> Record.parse(b));
        onlyGoModException("Tree.parse", () -> Tree.parse(b));
        onlyGoModException("Notes.open", () -> Notes.open(b, VerifierList.of()));
        onlyGoModException("GoMod.parse", () -> GoMod.parse("go.mod", b));
        onlyGoModException("GoMod.parseLax", () -> GoMod.parseLax("go.mod", b));
        onlyGoModException("GoMod.modulePath", () -> GoMod.modulePath(b));
        onlyGoModException("DirHash.hashGoMod", () -> DirHash.hashGoMod(b));
    }

    /** A small valid module zip, to be damaged. */
    private static byte[] goodZip() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ModuleZip.create(out, ModuleVersion.of("example.com/m", "v1.0.0"), List.of(
                ModuleFile.of("go.mod", "module example.com/m\n".getBytes(StandardCharsets.UTF_8)),
                ModuleFile.of("a.go", "package a\n".getBytes(StandardCharsets.UTF_8))));
        return out.toByteArray();
    }

    @Property(tries = 300)
    void damagedZips(@ForAll("bytes") byte[] patch, @ForAll int where, @ForAll boolean truncate) throws Exception {
        byte[] zip = goodZip();
        int at = Math.floorMod(where, zip.length);
        byte[] bad = truncate ? Arrays.copyOf(zip, at) : zip.clone();
        if (!truncate) {
            System.arraycopy(patch, 0, bad, at, Math.min(patch.length, bad.length - at));
        }
        Path dir = Files.createTempDirectory("gomod-bad-zip");
        try {
            Path file = dir.resolve("m.zip");
            Files.write(file, bad);
            ModuleVersion m = ModuleVersion.of("example.com/m", "v1.0.0");
            onlyGoModException("ModuleZip.checkZip", () -> ModuleZip.checkZip(m, file));
            onlyGoModException("ModuleZip.unzip", () -> ModuleZip.unzip(file, m, dir.resolve("out")));
            onlyGoModException("DirHash.hashZip", () -> DirHash.hashZip(file));
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
