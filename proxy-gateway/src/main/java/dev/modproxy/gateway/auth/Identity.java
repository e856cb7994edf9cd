package dev.modproxy.gateway.auth;

import java.util.Set;

/**
 * Who made a request: a user from the users file, a token's name, or anonymous. Access rules
 * name identities directly or as {@code group:<name>}.
 */
public record Identity(String name, Set<String> groups, String method) {

    public static final Identity ANONYMOUS = new Identity("anonymous", Set.of(), "none");

    public Identity {
        groups = Set.copyOf(groups);
    }

    public boolean anonymous() {
        return this == ANONYMOUS || "none".equals(method);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** Whether an access-rule entry ({@code name}, {@code group:g} or {@code *}) names this identity. */
    public boolean matches(String entry) {
        if (entry.equals("*")) {
            return !anonymous();
        }
        if (entry.startsWith("group:")) {
            return inGroup(entry.substring("group:".length()));
        }
        return !anonymous() && entry.equals(name);
    }
}
