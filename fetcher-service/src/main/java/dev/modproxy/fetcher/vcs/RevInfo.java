package dev.modproxy.fetcher.vcs;

import java.time.Instant;
import java.util.List;

/**
 * A commit as version control reports it (codehost.RevInfo): full hash, the 12-digit short hash
 * pseudo-versions use, committer time (UTC, whole seconds), the name it was asked by when that
 * name is a tag on it (else the hash), and the sorted names of every tag on it.
 */
record RevInfo(String name, String shortHash, Instant time, String version, List<String> tags) {

    RevInfo withVersion(String v) {
        return new RevInfo(name, shortHash, time, v, tags);
    }
}
