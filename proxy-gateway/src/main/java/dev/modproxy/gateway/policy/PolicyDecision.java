package dev.modproxy.gateway.policy;

import java.util.List;

/**
 * What the policy decided about one request, left on the routing context under
 * {@link dev.modproxy.gateway.chain.ContextKeys#POLICY} for the audit event.
 *
 * @param outcome {@code allow}, {@code deny} (403), {@code hidden} (404 for lack of read access), {@code challenged} (401),
 *                {@code admin-denied}, or {@code filtered} (a list or @latest answer had versions removed)
 * @param rule    which rule decided ({@code deny[2]}, {@code allow-list}, {@code access[0]},
 *                {@code cooldown}, {@code retracted}), or empty
 * @param reason  the one-line reason the client was given, or empty
 * @param hidden  versions removed from a list or @latest answer
 */
public record PolicyDecision(String outcome, String rule, String reason, List<String> hidden) {

    public static final PolicyDecision ALLOW = new PolicyDecision("allow", "", "", List.of());

    public PolicyDecision {
        hidden = List.copyOf(hidden);
    }

    static PolicyDecision of(String outcome, String rule, String reason) {
        return new PolicyDecision(outcome, rule, reason, List.of());
    }
}
