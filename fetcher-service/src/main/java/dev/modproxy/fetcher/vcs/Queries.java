package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import dev.modproxy.gomod.module.ModulePaths;
import dev.modproxy.gomod.semver.Semver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an {@code .info} request or {@code @latest} means, as cmd/go/internal/modload/query.go
 * resolves a query against one repository:
 * <ul>
 *   <li>{@code latest}: the highest release tag, else the highest pre-release, else the remote
 *       HEAD's commit (a tag on it, or its pseudo-version). {@code +incompatible} versions count
 *       only while the highest compatible version below them has no go.mod.</li>
 *   <li>A version prefix {@code vX} or {@code vX.Y}: the highest release (else pre-release) with
 *       that prefix, not below {@code vX.Y.0}.</li>
 *   <li>A complete semantic version: that tag (or, with build metadata, the tag without it).</li>
 *   <li>Anything else: a revision (branch, tag, full or short hash).</li>
 * </ul>
 * Retractions are not applied.
 */
final class Queries {

    private final CodeRepo repo;

    Queries(CodeRepo repo) {
        this.repo = repo;
    }

    RevInfo query(String query) throws FetchException {
        String path = repo.modulePath();
        if (query.equals("latest")) {
            repo.git().fetch(false);
            return fromVersions("", v -> true, false).orElseLatest();
        }
        if (Semver.isValid(query)) {
            boolean preferIncompatible = !ModulePaths.matchPathMajor(query, ModulePaths.splitPathVersion(path).pathMajor());
            if (isSemverPrefix(query)) {
                repo.git().fetch(false);
                Found f = fromVersions(query + ".", v -> Semver.compare(v, query) >= 0, preferIncompatible);
                if (f.info != null) {
                    return f.info;
                }
                throw new FetchException(Kind.NOT_FOUND, path + "@" + query + ": no matching versions for query \"" + query + "\"",
                        "direct", null);
            }
            try {
                return repo.stat(query);
            } catch (FetchException e) {
                String canonical = ModulePaths.canonicalVersion(query);
                if (!canonical.isEmpty() && !canonical.equals(query) && e.kind().isNotFound()) {
                    try {
                        return repo.stat(canonical);
                    } catch (FetchException again) {
                        if (!again.kind().isNotFound()) {
                            throw again;
                        }
                    }
                }
                throw e;
            }
        }
        return repo.stat(query);
    }

    private final class Found {
        final RevInfo info;

        Found(RevInfo info) {
            this.info = info;
        }

        RevInfo orElseLatest() throws FetchException {
            return info != null ? info : repo.latest();
        }
    }

    private Found fromVersions(String prefix, java.util.function.Predicate<String> filter, boolean preferIncompatible)
            throws FetchException {
        List<String> releases = new ArrayList<>();
        List<String> prereleases = new ArrayList<>();
        boolean needIncompatible = preferIncompatible;
        String lastCompatible = "";
        for (String v : repo.versions(prefix)) {
            if (!filter.test(v)) {
                continue;
            }
            if (!needIncompatible) {
                if (!v.endsWith("+incompatible")) {
                    lastCompatible = v;
                } else if (!lastCompatible.isEmpty()) {
                    if (!Arrays.equals(repo.goMod(lastCompatible), CodeRepo.legacyGoMod(repo.modulePath()))) {
                        break;
                    }
                    needIncompatible = true;
                }
            }
            (Semver.prerelease(v).isEmpty() ? releases : prereleases).add(v);
        }
        if (!releases.isEmpty()) {
            return new Found(repo.stat(releases.get(releases.size() - 1)));
        }
        if (!prereleases.isEmpty()) {
            return new Found(repo.stat(prereleases.get(prereleases.size() - 1)));
        }
        return new Found(null);
    }

    static boolean isSemverPrefix(String v) {
        int dots = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '-' || c == '+') {
                return false;
            }
            if (c == '.' && ++dots >= 2) {
                return false;
            }
        }
        return true;
    }
}
