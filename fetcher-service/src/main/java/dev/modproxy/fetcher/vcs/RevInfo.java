package dev.modproxy.fetcher.vcs;

import java.time.Instant;
import java.util.List;

/**
 * A commit as version control reports it (codehost.RevInfo): full hash, the 12-digit short hash
 * pseudo-versions use, committer time (UTC, whole seconds), the name it was asked by when that
 * name is a tag on it (else the hash), the sorted names of every tag on it, and the ref it was
 * resolved through when it was asked by a ref's name (null for a hash).
 */
record RevInfo(String name, String shortHash, Instant time, String version, List<String> tags, String ref) {

    RevInfo(String name, String shortHash, Instant time, String version, List<String> tags) {
        this(name, shortHash, time, version, tags, null);
    }

    RevInfo withVersion(String v) {
        return new RevInfo(name, shortHash, time, v, tags, ref);
    }

    /** The ref the revision was resolved through (codehost Origin.Ref), or null. */
    RevInfo withRef(String r) {
        return new RevInfo(name, shortHash, time, version, tags, r);
    }
}
