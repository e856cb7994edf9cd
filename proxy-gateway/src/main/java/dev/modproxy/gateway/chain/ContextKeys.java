package dev.modproxy.gateway.chain;

/**
 * Names under which the request chain leaves what it decided on the Vert.x routing context,
 * for the steps after it and for whoever reports the request (the audit event).
 */
public final class ContextKeys {

    /** The {@link dev.modproxy.gateway.auth.Identity} of the caller (anonymous when unauthenticated). */
    public static final String IDENTITY = "modproxy.identity";

    /** The {@link dev.modproxy.gateway.policy.PolicyDecision} taken on the request. */
    public static final String POLICY = "modproxy.policy";

    /** The client key the rate limit charged: {@code user:<name>} or {@code ip:<address>}. */
    public static final String CLIENT = "modproxy.client";

    private ContextKeys() {
    }
}
