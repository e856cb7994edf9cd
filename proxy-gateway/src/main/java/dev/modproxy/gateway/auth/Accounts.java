package dev.modproxy.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The users file and the tokens file. Both are lines of {@code key:name-or-hash[:groups]}:
 * <pre>
 *   # users: name, bcrypt hash ($2a$, $2b$ or $2y$, as htpasswd -B or any bcrypt tool makes), groups
 *   alice:$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy:dev,admin
 *   # tokens: sha256 of the token in hex (sha256sum), the identity it stands for, groups
 *   3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b:ci-bot:ci
 * </pre>
 * Blank lines and lines starting with {@code #} are skipped; groups are comma-separated names.
 * A malformed line makes the whole file unusable (a half-read users file could lock everyone
 * out or let someone in); the error names the line number, never its content.
 */
final class Accounts {

    /** A user or token entry: the secret's hash, the name and groups it grants. */
    record Entry(String name, String hash, Set<String> groups) {
    }

    private Accounts() {
    }

    /** Users by name, the value holding the bcrypt hash. */
    static Map<String, Entry> users(byte[] file) {
        Map<String, Entry> users = new HashMap<>();
        int n = 0;
        for (String line : lines(file)) {
            n++;
            if (skip(line)) {
                continue;
            }
            String[] f = line.strip().split(":", -1);
            if (f.length < 2 || f.length > 3 || f[0].isEmpty() || !isBcrypt(f[1])) {
                throw new IllegalArgumentException("users file line " + n + ": expected name:$2a$...bcrypt hash[:groups]");
            }
            if (users.put(f[0], new Entry(f[0], f[1], groups(f, n))) != null) {
                throw new IllegalArgumentException("users file line " + n + ": user listed twice");
            }
        }
        return users;
    }

    /** Tokens by the hex sha256 of the token. */
    static Map<String, Entry> tokens(byte[] file) {
        Map<String, Entry> tokens = new HashMap<>();
        int n = 0;
        for (String line : lines(file)) {
            n++;
            if (skip(line)) {
                continue;
            }
            String[] f = line.strip().split(":", -1);
            if (f.length < 2 || f.length > 3 || !f[0].matches("[0-9a-fA-F]{64}") || f[1].isEmpty()) {
                throw new IllegalArgumentException("tokens file line " + n + ": expected sha256hex:name[:groups]");
            }
            String hash = f[0].toLowerCase(java.util.Locale.ROOT);
            tokens.put(hash, new Entry(f[1], hash, groups(f, n)));
        }
        return tokens;
    }

    static boolean isBcrypt(String hash) {
        return hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    }

    private static Set<String> groups(String[] f, int n) {
        if (f.length < 3 || f[2].isBlank()) {
            return Set.of();
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String g : f[2].split(",", -1)) {
            String name = g.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("line " + n + ": empty group name");
            }
            groups.add(name);
        }
        return groups;
    }

    private static boolean skip(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    private static Iterable<String> lines(byte[] file) {
        return Arrays.asList(new String(file, StandardCharsets.UTF_8).split("\r?\n"));
    }
}
