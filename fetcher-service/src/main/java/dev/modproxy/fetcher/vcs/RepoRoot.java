package dev.modproxy.fetcher.vcs;

/**
 * Where a module's code lives: {@code root} is the import path of the repository's top
 * (a prefix of the module path), {@code url} the repository's URL, {@code vcs} its kind.
 */
record RepoRoot(String root, String url, String vcs) {
}
