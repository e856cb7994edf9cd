package dev.modproxy.gateway.policy;

import dev.modproxy.gateway.chain.ContextKeys;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import dev.modproxy.gomod.semver.Semver;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies the policy to answers that name versions the client did not: {@code @v/list},
 * {@code @latest} and {@code .info} queries (branches, {@code v1.2}). Versions refused by a
 * deny rule, still in their cooldown, or (with {@code hide-retracted}) retracted by the latest
 * go.mod are dropped from a list; a {@code @latest} that names one is replaced by the latest
 * version left (go's rule: the highest release, else the highest pre-release); a query that
 * resolves to a refused version is refused with the reason. Runs on a worker thread.
 *
 * <p>Cooldown needs each version's .info Time. A list is walked from its highest version down,
 * stopping at the first version old enough: versions are assumed released in semver order,
 * so an old branch's patch released inside the cooldown stays listed (and is still refused
 * when asked for, by {@link RequestPolicy}).
 */
@ApplicationScoped
public class PolicyAnswers {

    private final PolicyStore store;
    private final VersionFacts facts;
    private final Clock clock = Clock.systemUTC();

    public PolicyAnswers(PolicyStore store, VersionFacts facts) {
        this.store = store;
        this.facts = facts;
    }

    /** Whether the answer to {@code request} must pass {@link #apply} (else it is served as it is). */
    public boolean filters(ProxyRequest request) {
        return store.rules().filtersAnswers() && !RequestPolicy.names(request);
    }

    /** The answer as the policy lets it be served. Blocks. */
    public Artifact apply(RoutingContext ctx, ProxyRequest request, Artifact answer) throws ProxyException {
        if (!filters(request)) {
            return answer;
        }
        PolicyRules rules = store.rules();
        ModulePath module = request.module();
        return switch (request.type()) {
            case LIST -> list(ctx, rules, module, answer);
            case LATEST -> latest(ctx, rules, module, answer);
            default -> query(ctx, rules, module, answer);
        };
    }

    private Artifact list(RoutingContext ctx, PolicyRules rules, ModulePath module, Artifact answer)
            throws ProxyException {
        List<String> all = versions(facts.bytes(answer));
        List<String> hidden = new ArrayList<>();
        List<String> kept = allowed(rules, module, all, hidden);
        if (hidden.isEmpty()) {
            return answer;
        }
        record(ctx, hidden);
        StringBuilder out = new StringBuilder();
        kept.forEach(v -> out.append(v).append('\n'));
        return new Artifact.InMemory(out.toString().getBytes(StandardCharsets.UTF_8), answer.contentType(), null, null,
                answer.cacheControl(), false);
    }

    private Artifact latest(RoutingContext ctx, PolicyRules rules, ModulePath module, Artifact answer)
            throws ProxyException {
        VersionFacts.Info info = VersionFacts.info(facts.bytes(answer));
        String v = info.version();
        if (refusal(rules, module, v, info.time()).isEmpty() && !retracted(rules, module, v, null)) {
            return answer;
        }
        List<String> hidden = new ArrayList<>();
        List<String> all = versions(facts.bytes(facts.resolve(new ProxyRequest(module, Type.LIST, null))));
        List<String> kept = allowed(rules, module, all, hidden);
        hidden.add(v);
        record(ctx, hidden);
        Optional<String> best = latestOf(kept);
        if (best.isEmpty()) {
            // 403, not 404: on 404 the go command would ask the next GOPROXY entry for @latest.
            throw new ProxyException(Kind.FORBIDDEN, "no version of " + module.value()
                    + " is allowed by the policy of this proxy");
        }
        return facts.resolve(new ProxyRequest(module, Type.INFO, best.get()));
    }

    private Artifact query(RoutingContext ctx, PolicyRules rules, ModulePath module, Artifact answer)
            throws ProxyException {
        VersionFacts.Info info = VersionFacts.info(facts.bytes(answer));
        Optional<PolicyRules.Denial> refused = refusal(rules, module, info.version(), info.time());
        if (refused.isPresent()) {
            PolicyRules.Denial d = refused.get();
            ctx.put(ContextKeys.POLICY, PolicyDecision.of("deny", d.rule(), d.reason()));
            throw new ProxyException(Kind.FORBIDDEN, d.reason());
        }
        return answer;
    }

    /** The versions of {@code all} the policy lets through; the others go to {@code hidden}. */
    private List<String> allowed(PolicyRules rules, ModulePath module, List<String> all, List<String> hidden)
            throws ProxyException {
        String m = module.value();
        List<String> kept = new ArrayList<>();
        for (String v : all) {
            if (rules.versionDenied(m, v).isPresent()) {
                hidden.add(v);
            } else {
                kept.add(v);
            }
        }
        if (rules.hideRetracted() && !all.isEmpty()) {
            Optional<GoMod> latestMod = facts.goMod(module, latestOf(all).orElseThrow());
            if (latestMod.isPresent()) {
                List<String> stay = new ArrayList<>();
                for (String v : kept) {
                    if (latestMod.get().retractionOf(v, Semver.BY_VERSION).isPresent()) {
                        hidden.add(v);
                    } else {
                        stay.add(v);
                    }
                }
                kept = stay;
            }
        }
        Duration cooldown = rules.cooldownOf(m);
        if (!cooldown.isZero()) {
            List<String> newestFirst = new ArrayList<>(Semver.sorted(kept));
            java.util.Collections.reverse(newestFirst);
            Instant now = clock.instant();
            for (String v : newestFirst) {
                if (RequestPolicy.tooYoung(m, v, facts.time(module, v), cooldown, now).isEmpty()) {
                    break;
                }
                hidden.add(v);
                kept.remove(v);
            }
        }
        return kept;
    }

    private Optional<PolicyRules.Denial> refusal(PolicyRules rules, ModulePath module, String v, Instant time) {
        String m = module.value();
        Optional<PolicyRules.Denial> d = rules.versionDenied(m, v);
        if (d.isPresent()) {
            return d;
        }
        return RequestPolicy.tooYoung(m, v, time, rules.cooldownOf(m), clock.instant())
                .map(reason -> new PolicyRules.Denial(403, "cooldown", reason));
    }

    private boolean retracted(PolicyRules rules, ModulePath module, String v, List<String> all) throws ProxyException {
        if (!rules.hideRetracted()) {
            return false;
        }
        List<String> versions = all != null ? all
                : versions(facts.bytes(facts.resolve(new ProxyRequest(module, Type.LIST, null))));
        List<String> withV = new ArrayList<>(versions);
        if (!withV.contains(v)) {
            withV.add(v);
        }
        Optional<GoMod> mod = facts.goMod(module, latestOf(withV).orElseThrow());
        return mod.isPresent() && mod.get().retractionOf(v, Semver.BY_VERSION).isPresent();
    }

    private static void record(RoutingContext ctx, List<String> hidden) {
        PolicyDecision before = ctx.get(ContextKeys.POLICY, PolicyDecision.ALLOW);
        ctx.put(ContextKeys.POLICY, new PolicyDecision("filtered", before.rule(), "versions hidden by policy", hidden));
    }

    /** go's latest: the highest release version, else the highest pre-release. */
    static Optional<String> latestOf(List<String> versions) {
        List<String> sorted = Semver.sorted(versions);
        for (int i = sorted.size() - 1; i >= 0; i--) {
            if (Semver.prerelease(sorted.get(i)).isEmpty()) {
                return Optional.of(sorted.get(i));
            }
        }
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get(sorted.size() - 1));
    }

    static List<String> versions(byte[] list) {
        List<String> out = new ArrayList<>();
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String v = line.strip();
            if (!v.isEmpty() && Semver.isValid(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
