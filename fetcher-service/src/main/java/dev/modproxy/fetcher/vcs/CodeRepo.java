package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.module.PathVersionSplit;
import dev.modproxy.gomod.semver.PseudoVersion;
import dev.modproxy.gomod.semver.Semver;
import dev.modproxy.gomod.zip.ModuleFile;
import dev.modproxy.gomod.zip.ModuleZip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jgit.lib.Constants;

/**
 * One module inside one git repository: the {@code go} command's modfetch/coderepo.go over a
 * {@link GitMirror}. The rules, as {@code go} applies them:
 * <ul>
 *   <li>Layout: the module {@code root/dir/vN} of a repository rooted at {@code root} lives in
 *       {@code dir} ("major branch": go.mod there says {@code .../vN}) or in {@code dir/vN}
 *       ("major subdirectory"); tags of a module in {@code dir} carry the prefix
 *       {@code dir/}.</li>
 *   <li>Versions: canonical semver tags (after the prefix) that are not pseudo-versions and
 *       whose major version fits the path; at the repository root with no major suffix, v2+
 *       tags become {@code +incompatible} unless the latest compatible version has a go.mod, or
 *       the latest tag of that major has one.</li>
 *   <li>Stat: a tag that is a canonical version for the module is that version; otherwise the
 *       commit gets a pseudo-version based on the highest allowed tag in its history
 *       ({@link PseudoVersion}), major version from the path. A canonical version asked for must
 *       resolve to itself.</li>
 *   <li>go.mod: from the module's directory; a v0/v1 module at the repository root without one
 *       gets {@code module <path>\n}; elsewhere a missing or mismatched go.mod means "no such
 *       version".</li>
 *   <li>Zip: the module's directory at that commit; a subdirectory module without its own
 *       LICENSE gets the root's.</li>
 * </ul>
 * Retractions are not applied (go uses them only to skip retracted tags as pseudo-version bases
 * and in queries).
 */
final class CodeRepo {

    private final GitMirror git;
    private final String modPath;
    private final String codeRoot;
    private final String codeDir;
    private final String pathMajor;
    private final String pathPrefix;
    private final String pseudoMajor;

    CodeRepo(GitMirror git, String codeRoot, String path) throws FetchException {
        this.git = git;
        this.modPath = path;
        this.codeRoot = codeRoot;
        if (!hasPathPrefix(path, codeRoot)) {
            throw notFound("mismatched repo: found " + codeRoot + " for " + path);
        }
        PathVersionSplit split = ModulePaths.splitPathVersion(path);
        if (!split.ok()) {
            throw new FetchException(Kind.BAD_REQUEST, "invalid module path \"" + path + "\"");
        }
        String prefix = codeRoot.equals(path) ? path : split.prefix();
        this.pathMajor = split.pathMajor();
        this.pathPrefix = prefix;
        try {
            this.pseudoMajor = ModulePaths.pathMajorPrefix(pathMajor);
        } catch (GoModException e) {
            throw new FetchException(Kind.BAD_REQUEST, e.getMessage());
        }
        if (!codeRoot.equals(path)) {
            if (!hasPathPrefix(prefix, codeRoot)) {
                throw notFound("repository rooted at " + codeRoot + " cannot contain module " + path);
            }
            this.codeDir = trimSlashes(prefix.substring(codeRoot.length()));
        } else {
            this.codeDir = "";
        }
    }

    String modulePath() {
        return modPath;
    }

    GitMirror git() {
        return git;
    }

    /** codeRepo.Versions: the tagged versions, sorted, with +incompatible ones where allowed. */
    List<String> versions(String prefix) throws FetchException {
        if (modPath.startsWith("gopkg.in/") && modPath.endsWith("-unstable")) {
            return List.of();
        }
        String p = codeDir.isEmpty() ? prefix : codeDir + "/" + prefix;
        List<String> list = new ArrayList<>();
        List<String> incompatible = new ArrayList<>();
        for (String tag : git.tags(p).keySet()) {
            String v = codeDir.isEmpty() ? tag : tag.substring(codeDir.length() + 1);
            if (v.isEmpty() || !v.equals(Semver.canonical(v)) || PseudoVersion.isPseudoVersion(v)) {
                continue;
            }
            if (!ModulePaths.matchPathMajor(v, pathMajor)) {
                if (codeDir.isEmpty() && pathMajor.isEmpty() && Semver.major(v).compareTo("v1") > 0) {
                    incompatible.add(v);
                }
                continue;
            }
            list.add(v);
        }
        Semver.sort(list);
        Semver.sort(incompatible);
        if (incompatible.isEmpty() || !pathMajor.isEmpty()) {
            return list;
        }
        if (!list.isEmpty() && hasGoMod(list.get(list.size() - 1))) {
            return list;
        }
        String lastMajor = null;
        boolean lastMajorHasGoMod = false;
        for (int i = 0; i < incompatible.size(); i++) {
            String v = incompatible.get(i);
            String major = Semver.major(v);
            if (!major.equals(lastMajor)) {
                int j = i;
                while (j < incompatible.size() && Semver.major(incompatible.get(j)).equals(major)) {
                    j++;
                }
                lastMajor = major;
                lastMajorHasGoMod = hasGoMod(incompatible.get(j - 1));
            }
            if (!lastMajorHasGoMod) {
                list.add(v + "+incompatible");
            }
        }
        return list;
    }

    /** Whether the version's tag (codeDir-relative) has a go.mod at the module root (versionHasGoMod). */
    private boolean hasGoMod(String v) throws FetchException {
        Optional<RevInfo> info = git.statLocal(revToRev(v), revToRev(v));
        return info.isPresent() && git.readFile(info.get().name(), "go.mod", ModuleZip.MAX_GO_MOD).isPresent();
    }

    /** codeRepo.Stat. */
    RevInfo stat(String rev) throws FetchException {
        if (rev.equals("latest")) {
            return latest();
        }
        RevInfo info;
        try {
            String r = revToRev(rev);
            info = git.stat(r);
            info = info.withRef(refOf(r, info.name()));
        } catch (FetchException e) {
            if (e.kind() == Kind.NOT_FOUND && "direct".equals(e.upstream()) && e.getCause() == null) {
                throw invalidVersion(rev, e.getMessage());
            }
            throw e;
        }
        return convert(info, rev);
    }

    /** codeRepo.Latest: the remote HEAD's commit. */
    RevInfo latest() throws FetchException {
        git.fetch(false);
        String head = git.refs().get("HEAD");
        if (head == null) {
            throw notFound("no commits");
        }
        return convert(git.stat(head).withRef(Constants.HEAD), "");
    }

    /**
     * The ref go's gitRepo.stat records as Origin.Ref for {@code rev}: the tag, else the branch,
     * else HEAD, by that name; none for a hash (go 1.19 records none when the commit is already
     * in its local clone, the usual case; a cold clone may name a ref holding it).
     */
    private String refOf(String rev, String hash) {
        Map<String, String> refs = git.refs();
        for (String ref : List.of(Constants.R_TAGS + rev, Constants.R_HEADS + rev)) {
            if (refs.containsKey(ref)) {
                return ref;
            }
        }
        return rev.equals(Constants.HEAD) && hash.equals(refs.get(Constants.HEAD)) ? Constants.HEAD : null;
    }

    /**
     * codeRepo.convert's Origin: VCS, URL, Subdir, the Ref and Hash; for a pseudo-version (other
     * than a v0.0.0- one asked by its own name) also the tags its base was chosen from, as
     * TagPrefix and TagSum (gitRepo.Tags: "t1:" + base64 SHA-256 of {@code "%q %s\n"} per tag).
     */
    String originJson(RevInfo info, String asked) {
        StringBuilder o = new StringBuilder("{\"VCS\":\"git\",\"URL\":").append(quote(git.url()));
        if (!codeDir.isEmpty()) {
            o.append(",\"Subdir\":").append(quote(codeDir));
        }
        String v = info.version();
        if (PseudoVersion.isPseudoVersion(v) && (!v.equals(asked) || !v.startsWith("v0.0.0-"))) {
            String prefix = codeDir.isEmpty() ? "" : codeDir + "/";
            if (!pathMajor.isEmpty()) {
                prefix += pathMajor.substring(1) + ".";
            }
            String dir = prefix.substring(0, prefix.lastIndexOf('/') + 1);
            java.security.MessageDigest h;
            try {
                h = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            for (var tag : git.tags(prefix).entrySet()) {
                String t = tag.getKey().substring(dir.length());
                String c = Semver.canonical(t);
                if (!c.isEmpty() && t.startsWith(c) && !PseudoVersion.isPseudoVersion(t)) {
                    h.update((quote(tag.getKey()) + " " + tag.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            o.append(",\"TagPrefix\":").append(quote(prefix)).append(",\"TagSum\":")
                    .append(quote("t1:" + java.util.Base64.getEncoder().encodeToString(h.digest())));
        }
        if (info.ref() != null) {
            o.append(",\"Ref\":").append(quote(info.ref()));
        }
        return o.append(",\"Hash\":").append(quote(info.name())).append('}').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private RevInfo convert(RevInfo info, String statVers) throws FetchException {
        Map<String, Boolean> incompatibleOk = new HashMap<>();
        Convert c = new Convert(info, statVers, incompatibleOk);
        if (PseudoVersion.isPseudoVersion(statVers)) {
            validatePseudoVersion(info, statVers);
            return c.checkCanonical(statVers);
        }
        String tagPrefix = codeDir.isEmpty() ? "" : codeDir + "/";
        TagVersion tv = tagToVersion(info.version(), tagPrefix);
        if (tv.canonical) {
            try {
                return c.checkCanonical(tv.v);
            } catch (FetchException ignored) {
                // fall through to the tags on the revision, as go does
            }
        }
        String highestCanonical = "";
        String pseudoBase = "";
        for (String pathTag : info.tags()) {
            TagVersion t = tagToVersion(pathTag, tagPrefix);
            if (!statVers.isEmpty() && Semver.compare(t.v, statVers) == 0) {
                if (t.canonical) {
                    return c.checkCanonical(t.v);
                }
                pseudoBase = t.v;
            }
            if (t.canonical && Semver.compare(highestCanonical, t.v) < 0) {
                if (ModulePaths.matchPathMajor(t.v, pathMajor) || c.canUseIncompatible(t.v)) {
                    highestCanonical = t.v;
                }
            }
        }
        if (!highestCanonical.isEmpty()) {
            return c.checkCanonical(highestCanonical);
        }
        if (pseudoBase.isEmpty()) {
            String tag = git.recentTag(info.name(), tagPrefix, t -> {
                String v = tagToVersion(t, tagPrefix).v;
                if (v.isEmpty()) {
                    return false;
                }
                try {
                    return ModulePaths.matchPathMajor(v, pathMajor) || c.canUseIncompatible(v);
                } catch (FetchException e) {
                    return false;
                }
            });
            if (tag != null) {
                pseudoBase = tagToVersion(tag, tagPrefix).v;
            }
        }
        return c.checkCanonical(PseudoVersion.pseudoVersion(pseudoMajor, pseudoBase, info.time(), info.shortHash()));
    }

    private record TagVersion(String v, boolean canonical) {
    }

    private static TagVersion tagToVersion(String tag, String tagPrefix) {
        if (!tag.startsWith(tagPrefix)) {
            return new TagVersion("", false);
        }
        String trimmed = tag.substring(tagPrefix.length());
        if (PseudoVersion.isPseudoVersion(tag)) {
            return new TagVersion("", false);
        }
        String v = Semver.canonical(trimmed);
        if (v.isEmpty() || !trimmed.startsWith(v)) {
            return new TagVersion("", false);
        }
        return new TagVersion(v, v.equals(trimmed));
    }

    /** The closures of codeRepo.convert, sharing the go.mod lookups of one conversion. */
    private final class Convert {
        private final RevInfo info;
        private final String statVers;
        private final Map<String, Boolean> incompatibleOk;

        Convert(RevInfo info, String statVers, Map<String, Boolean> incompatibleOk) {
            this.info = info;
            this.statVers = statVers;
            this.incompatibleOk = incompatibleOk;
        }

        boolean canUseIncompatible(String v) throws FetchException {
            if (!codeDir.isEmpty() || !pathMajor.isEmpty()) {
                return false;
            }
            Boolean ok = incompatibleOk.get("");
            if (ok == null) {
                ok = git.readFile(info.name(), "go.mod", ModuleZip.MAX_GO_MOD).isEmpty();
                incompatibleOk.put("", ok);
            }
            if (!ok) {
                return false;
            }
            if (!v.isEmpty() && !statVers.endsWith("+incompatible")) {
                String major = Semver.major(v);
                ok = incompatibleOk.get(major);
                if (ok == null) {
                    ok = git.readFile(info.name(), major + "/go.mod", ModuleZip.MAX_GO_MOD).isEmpty();
                    incompatibleOk.put(major, ok);
                }
                return ok;
            }
            return true;
        }

        RevInfo checkCanonical(String v) throws FetchException {
            try {
                findDir(v);
            } catch (FetchException e) {
                throw invalidVersion(v, e.getMessage());
            }
            if (v.equals(stripIncompatible(statVers))) {
                v = statVers;
            }
            String base = stripIncompatible(v);
            FetchException errIncompatible = null;
            if (!ModulePaths.matchPathMajor(base, pathMajor)) {
                if (canUseIncompatible(base)) {
                    v = base + "+incompatible";
                } else if (!pathMajor.isEmpty()) {
                    errIncompatible = invalidVersion(v, "module path includes a major version suffix, so major version must match");
                } else {
                    errIncompatible = invalidVersion(v, "module contains a go.mod file, so module path must match major version (\""
                            + pathPrefix + "/" + Semver.major(v) + "\")");
                }
            } else if (v.endsWith("+incompatible")) {
                errIncompatible = invalidVersion(v, "+incompatible suffix not allowed: major version " + Semver.major(v) + " is compatible");
            }
            if (!statVers.isEmpty() && statVers.equals(ModulePaths.canonicalVersion(statVers))) {
                String statBase = stripIncompatible(statVers);
                if (!statBase.equals(base)) {
                    throw invalidVersion(statVers, "resolves to version " + v + " (" + statBase + " is not a tag)");
                }
            }
            if (errIncompatible != null) {
                throw errIncompatible;
            }
            return info.withVersion(v);
        }
    }

    private void validatePseudoVersion(RevInfo info, String version) throws FetchException {
        try {
            String rev = PseudoVersion.pseudoVersionRev(version);
            if (!rev.equals(info.shortHash())) {
                if (rev.startsWith(info.shortHash())) {
                    throw invalidVersion(version, "revision is longer than canonical (expected " + info.shortHash() + ")");
                } else if (info.shortHash().startsWith(rev)) {
                    throw invalidVersion(version, "revision is shorter than canonical (expected " + info.shortHash() + ")");
                }
                throw invalidVersion(version, "does not match short name of revision (expected " + info.shortHash() + ")");
            }
            if (!PseudoVersion.pseudoVersionTime(version).equals(info.time())) {
                throw invalidVersion(version, "does not match version-control timestamp (expected "
                        + PseudoVersion.pseudoVersion("", "", info.time(), "x").substring(7, 21) + ")");
            }
            String tagPrefix = codeDir.isEmpty() ? "" : codeDir + "/";
            String base = PseudoVersion.pseudoVersionBase(stripIncompatible(version));
            if (base.isEmpty()) {
                if (pseudoMajor.isEmpty() && Semver.major(version).equals("v1")) {
                    throw invalidVersion(version, "major version without preceding tag must be v0, not v1");
                }
                return;
            }
            for (String tag : info.tags()) {
                if ((tag.startsWith(tagPrefix) ? tag.substring(tagPrefix.length()) : tag).equals(base)) {
                    throw invalidVersion(version, "tag (" + tag + ") found on revision " + rev
                            + " is already canonical, so should not be replaced with a pseudo-version derived from that tag");
                }
            }
            String lastTag = "";
            boolean ancestorFound = false;
            for (String tag : git.tags(tagPrefix + base).keySet()) {
                String versionOnly = tag.startsWith(tagPrefix) ? tag.substring(tagPrefix.length()) : tag;
                if (Semver.compare(versionOnly, base) == 0) {
                    lastTag = tag;
                    if (git.descendsFrom(info.name(), tag)) {
                        ancestorFound = true;
                        break;
                    }
                }
            }
            if (lastTag.isEmpty()) {
                throw invalidVersion(version, "preceding tag (" + base + ") not found");
            }
            if (!ancestorFound) {
                throw invalidVersion(version, "revision " + rev + " is not a descendent of preceding tag (" + lastTag + ")");
            }
        } catch (GoModException e) {
            throw invalidVersion(version, e.getMessage());
        }
    }

    private String revToRev(String rev) {
        if (Semver.isValid(rev)) {
            if (PseudoVersion.isPseudoVersion(rev)) {
                try {
                    return PseudoVersion.pseudoVersionRev(rev);
                } catch (GoModException e) {
                    return rev;
                }
            }
            if (Semver.build(rev).equals("+incompatible")) {
                rev = rev.substring(0, rev.length() - "+incompatible".length());
            }
            return codeDir.isEmpty() ? rev : codeDir + "/" + rev;
        }
        return rev;
    }

    /** Where the module lives at a version: the commit, the directory, its go.mod (null if none). */
    record Dir(String hash, String dir, byte[] goMod) {
    }

    /** codeRepo.findDir. */
    Dir findDir(String version) throws FetchException {
        if (!Semver.isValid(version)) {
            throw invalidVersion(version, "syntax error");
        }
        String rev = revToRev(version);
        RevInfo info = git.stat(rev);
        String hash = info.name();
        String file1 = join(codeDir, "go.mod");
        Optional<byte[]> gomod1 = git.readFile(hash, file1, ModuleZip.MAX_GO_MOD);
        String mpath1 = gomod1.map(GoMod::modulePath).orElse("");
        boolean found1 = gomod1.isPresent() && (isMajor(mpath1, pathMajor) || canReplaceMismatchedVersionDueToBug(mpath1));
        String file2 = "";
        if (!pathMajor.isEmpty() && !codeRoot.equals(modPath) && !pathMajor.startsWith(".")) {
            String dir2 = join(codeDir, pathMajor.substring(1));
            file2 = join(dir2, "go.mod");
            Optional<byte[]> gomod2 = git.readFile(hash, file2, ModuleZip.MAX_GO_MOD);
            String mpath2 = gomod2.map(GoMod::modulePath).orElse("");
            boolean found2 = gomod2.isPresent() && isMajor(mpath2, pathMajor);
            if (found1 && found2) {
                throw fail(pathPrefix + "/" + file1 + " and ..." + pathMajor + "/go.mod both have ..." + pathMajor
                        + " module paths at revision " + rev);
            }
            if (found2) {
                return new Dir(hash, dir2, gomod2.get());
            }
            if (gomod2.isPresent()) {
                if (mpath2.isEmpty()) {
                    throw fail(codeRoot + "/" + file2 + " is missing module path at revision " + rev);
                }
                throw fail(codeRoot + "/" + file2 + " has non-..." + pathMajor + " module path \"" + mpath2 + "\" at revision " + rev);
            }
        }
        if (found1) {
            return new Dir(hash, codeDir, gomod1.get());
        }
        if (gomod1.isPresent()) {
            String suffix = file2.isEmpty() ? "" : " (and ..." + pathMajor + "/go.mod does not exist)";
            if (mpath1.isEmpty()) {
                throw fail(file1 + " is missing module path" + suffix + " at revision " + rev);
            }
            if (!pathMajor.isEmpty()) {
                throw fail(file1 + " has non-..." + pathMajor + " module path \"" + mpath1 + "\"" + suffix + " at revision " + rev);
            }
            if (!ModulePaths.splitPathVersion(mpath1).ok()) {
                throw fail(file1 + " has malformed module path \"" + mpath1 + "\"" + suffix + " at revision " + rev);
            }
            throw fail(file1 + " has post-" + Semver.major(version) + " module path \"" + mpath1 + "\"" + suffix + " at revision " + rev);
        }
        if (codeDir.isEmpty() && (pathMajor.isEmpty() || pathMajor.startsWith("."))) {
            return new Dir(hash, "", null);
        }
        if (!file2.isEmpty()) {
            throw fail("missing " + pathPrefix + "/go.mod and ..." + pathMajor + "/go.mod at revision " + rev);
        }
        throw fail("missing " + pathPrefix + "/go.mod at revision " + rev);
    }

    private static boolean isMajor(String mpath, String pathMajor) {
        if (mpath.isEmpty()) {
            return false;
        }
        PathVersionSplit s = ModulePaths.splitPathVersion(mpath);
        if (!s.ok()) {
            return false;
        }
        String mpathMajor = s.pathMajor();
        if (pathMajor.isEmpty()) {
            try {
                String m = ModulePaths.pathMajorPrefix(mpathMajor);
                return m.isEmpty() || m.equals("v0") || m.equals("v1");
            } catch (GoModException e) {
                return false;
            }
        }
        if (mpathMajor.isEmpty()) {
            return false;
        }
        return pathMajor.substring(1).equals(mpathMajor.substring(1));
    }

    private boolean canReplaceMismatchedVersionDueToBug(String mpath) {
        return pathMajor.isEmpty() && mpath.startsWith("gopkg.in/");
    }

    /** codeRepo.GoMod. */
    byte[] goMod(String version) throws FetchException {
        if (PseudoVersion.isPseudoVersion(version)) {
            stat(version);
        }
        Dir d = findDirChecked(version);
        if (d.goMod() != null) {
            return d.goMod();
        }
        return git.readFile(d.hash(), join(d.dir(), "go.mod"), ModuleZip.MAX_GO_MOD)
                .orElseGet(() -> legacyGoMod(modPath));
    }

    /** The files of codeRepo.Zip: the module directory, plus the root LICENSE for a subdirectory. */
    List<ModuleFile> zipFiles(String version) throws FetchException {
        if (PseudoVersion.isPseudoVersion(version)) {
            stat(version);
        }
        Dir d = findDirChecked(version);
        List<ModuleFile> files = new ArrayList<>(git.files(d.hash(), d.dir()));
        if (!d.dir().isEmpty() && files.stream().noneMatch(f -> f.path().equals("LICENSE"))) {
            git.readFile(d.hash(), "LICENSE", ModuleZip.MAX_LICENSE)
                    .ifPresent(data -> files.add(ModuleFile.of("LICENSE", data)));
        }
        return files;
    }

    private Dir findDirChecked(String version) throws FetchException {
        try {
            return findDir(version);
        } catch (FetchException e) {
            if (e.kind() == Kind.NOT_FOUND && !e.getMessage().startsWith(modPath + "@")) {
                throw invalidVersion(version, e.getMessage());
            }
            throw e;
        }
    }

    static byte[] legacyGoMod(String modPath) {
        return ("module " + modPath + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private FetchException invalidVersion(String version, String why) {
        String prefix = modPath + "@" + version + ": ";
        return new FetchException(Kind.NOT_FOUND, why.startsWith(prefix) ? why : prefix + "invalid version: " + why,
                "direct", null);
    }

    private FetchException notFound(String why) {
        return new FetchException(Kind.NOT_FOUND, modPath + ": " + why, "direct", null);
    }

    private static FetchException fail(String why) {
        return new FetchException(Kind.NOT_FOUND, why, "direct", null);
    }

    private static String stripIncompatible(String v) {
        return v.endsWith("+incompatible") ? v.substring(0, v.length() - "+incompatible".length()) : v;
    }

    private static String join(String dir, String file) {
        return dir.isEmpty() ? file : dir + "/" + file;
    }

    private static String trimSlashes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '/') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '/') {
            e--;
        }
        return s.substring(b, e);
    }

    static boolean hasPathPrefix(String s, String prefix) {
        if (s.length() == prefix.length()) {
            return s.equals(prefix);
        }
        if (s.length() > prefix.length()) {
            if (!prefix.isEmpty() && prefix.endsWith("/")) {
                return s.startsWith(prefix);
            }
            return s.charAt(prefix.length()) == '/' && s.startsWith(prefix);
        }
        return false;
    }
}
