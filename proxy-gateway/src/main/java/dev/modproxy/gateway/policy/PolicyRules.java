package dev.modproxy.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.env.GlobMatch;
import dev.modproxy.gomod.env.PathPatterns;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy rules file ({@code modproxy.policy.file}), YAML or JSON:
 * <pre>
 * mode: deny-list                  # or allow-list: only modules matching "allow" are served
 * allow: ["github.com/corp/*", "golang.org/x"]
 * deny:                            # first match wins
 *   - module: "github.com/evil/*"  # a GOPRIVATE-style pattern: matches the path and what is below it
 *     versions: "&lt;v1.2.3"         # VersionRange syntax; absent: every version (the whole module)
 *     reason: "CVE-2024-1234: use v1.2.3 or later"
 *     status: 403                  # the only status a block has; the reason is the body, go prints it
 * cooldown:                        # minimum release age of a version, by its .info Time
 *   min-age: 72h                   # Go duration (h, m, s) or ISO-8601 (PT72H); 0 or absent: off
 *   exempt: ["github.com/corp/*"]  # e.g. your own modules
 * hide-retracted: true             # drop versions retracted by the latest go.mod from list/@latest
 * access:                          # who may read which modules; first matching rule decides
 *   - modules: ["corp.example.com/*"]
 *     readers: ["alice", "group:dev"]   # names, group:NAME, or "*" (any authenticated client)
 * </pre>
 * Every key is optional; unknown keys are errors (a misspelt rule must not be silently ignored).
 * Modules no access rule names are readable by everyone allowed in at all.
 */
public record PolicyRules(boolean allowListMode, List<String> allow, List<DenyRule> deny, Duration cooldown,
        List<String> cooldownExempt, boolean hideRetracted, List<AccessRule> access) {

    public static final PolicyRules NONE = new PolicyRules(false, List.of(), List.of(), Duration.ZERO, List.of(),
            false, List.of());

    public record DenyRule(String module, VersionRange versions, String reason, int status) {
    }

    public record AccessRule(List<String> modules, List<String> readers) {
    }

    /** A refusal: status 403 and the reason given to the client. */
    public record Denial(int status, String rule, String reason) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("mode", "allow", "deny", "cooldown", "hide-retracted", "access");

    /** Whether list and @latest answers may need filtering at all. */
    public boolean filtersAnswers() {
        return !deny.isEmpty() || allowListMode || !cooldown.isZero() || hideRetracted;
    }

    /** Refusal of the whole module (allow list, or a deny rule for every version). */
    public Optional<Denial> moduleDenied(String module) {
        if (allowListMode && allow.stream().noneMatch(p -> matches(p, module))) {
            return Optional.of(new Denial(403, "allow-list", module + " is not on the allow list of this proxy"));
        }
        for (int i = 0; i < deny.size(); i++) {
            DenyRule r = deny.get(i);
            if (r.versions().isAll() && matches(r.module(), module)) {
                return Optional.of(new Denial(r.status(), "deny[" + i + "]", r.reason()));
            }
        }
        return Optional.empty();
    }

    /** Refusal of one version (whole-module rules included). */
    public Optional<Denial> versionDenied(String module, String version) {
        Optional<Denial> whole = moduleDenied(module);
        if (whole.isPresent()) {
            return whole;
        }
        for (int i = 0; i < deny.size(); i++) {
            DenyRule r = deny.get(i);
            if (matches(r.module(), module) && r.versions().contains(version)) {
                return Optional.of(new Denial(r.status(), "deny[" + i + "]", module + "@" + version + ": " + r.reason()));
            }
        }
        return Optional.empty();
    }

    /** The cooldown that applies to {@code module}: zero when off or exempt. */
    public Duration cooldownOf(String module) {
        if (cooldown.isZero() || cooldownExempt.stream().anyMatch(p -> matches(p, module))) {
            return Duration.ZERO;
        }
        return cooldown;
    }

    /** The index of the access rule that covers {@code module}, or -1 (unrestricted). */
    public int accessRuleOf(String module) {
        // Without regard to case: GitHub and most git hosts serve github.com/Corp/secret and
        // github.com/corp/secret from one repository, so a rule must not be walked around by a
        // differently cased module path. Protecting a module too many is the safe side.
        if (access.isEmpty()) {
            return -1;
        }
        String folded = module.toLowerCase(java.util.Locale.ROOT);
        for (int i = 0; i < access.size(); i++) {
            for (String p : access.get(i).modules()) {
                if (matches(p.toLowerCase(java.util.Locale.ROOT), folded)) {
                    return i;
                }
            }
        }
        return -1;
    }

    static boolean matches(String pattern, String module) {
        return PathPatterns.matchPrefixPatterns(pattern, module);
    }

    /** Parses the rules file; the exception message is one line naming what is wrong. */
    public static PolicyRules parse(byte[] bytes) throws Exception {
        JsonNode root = YAML.readTree(bytes);
        if (root == null || root.isMissingNode() || root.isNull()) {
            return NONE;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("policy: the top level must be a mapping");
        }
        unknownKeys(root, TOP, "policy");
        String mode = text(root, "mode", "deny-list");
        if (!mode.equals("deny-list") && !mode.equals("allow-list")) {
            throw new IllegalArgumentException("policy: mode must be deny-list or allow-list, not " + mode);
        }
        List<String> allow = patterns(root.get("allow"), "allow");
        List<DenyRule> deny = new ArrayList<>();
        JsonNode denyNode = root.get("deny");
        if (denyNode != null && !denyNode.isNull()) {
            if (!denyNode.isArray()) {
                throw new IllegalArgumentException("policy: deny must be a list");
            }
            int i = 0;
            for (JsonNode r : denyNode) {
                String where = "deny[" + i++ + "]";
                if (!r.isObject()) {
                    throw new IllegalArgumentException("policy: " + where + " must be a mapping");
                }
                unknownKeys(r, Set.of("module", "versions", "reason", "status"), where);
                String module = pattern(required(r, "module", where), where + ".module");
                VersionRange versions = VersionRange.parse(text(r, "versions", "*"));
                String reason = text(r, "reason", "blocked by the policy of this proxy").strip();
                if (reason.isEmpty() || reason.contains("\n")) {
                    throw new IllegalArgumentException("policy: " + where + ".reason must be one non-empty line");
                }
                int status = r.has("status") ? r.get("status").asInt(-1) : 403;
                if (status != 403) {
                    // 404 and 410 mean "does not exist" to the go command, which then asks the next
                    // GOPROXY entry: a block answered that way would be walked around.
                    throw new IllegalArgumentException("policy: " + where + ".status must be 403 (404 and 410 let"
                            + " the go command fall through to the next GOPROXY entry)");
                }
                deny.add(new DenyRule(module, versions, reason, status));
            }
        }
        Duration cooldown = Duration.ZERO;
        List<String> exempt = List.of();
        JsonNode cd = root.get("cooldown");
        if (cd != null && !cd.isNull()) {
            if (!cd.isObject()) {
                throw new IllegalArgumentException("policy: cooldown must be a mapping");
            }
            unknownKeys(cd, Set.of("min-age", "exempt"), "cooldown");
            cooldown = duration(text(cd, "min-age", "0"));
            exempt = patterns(cd.get("exempt"), "cooldown.exempt");
        }
        boolean hideRetracted = false;
        JsonNode hr = root.get("hide-retracted");
        if (hr != null && !hr.isNull()) {
            if (!hr.isBoolean()) {
                throw new IllegalArgumentException("policy: hide-retracted must be true or false");
            }
            hideRetracted = hr.booleanValue();
        }
        List<AccessRule> access = new ArrayList<>();
        JsonNode ac = root.get("access");
        if (ac != null && !ac.isNull()) {
            if (!ac.isArray()) {
                throw new IllegalArgumentException("policy: access must be a list");
            }
            int i = 0;
            for (JsonNode r : ac) {
                String where = "access[" + i++ + "]";
                if (!r.isObject()) {
                    throw new IllegalArgumentException("policy: " + where + " must be a mapping");
                }
                unknownKeys(r, Set.of("modules", "readers"), where);
                List<String> modules = patterns(r.get("modules"), where + ".modules");
                if (modules.isEmpty()) {
                    throw new IllegalArgumentException("policy: " + where + ".modules is empty");
                }
                access.add(new AccessRule(modules, strings(r.get("readers"), where + ".readers")));
            }
        }
        return new PolicyRules(mode.equals("allow-list"), allow, List.copyOf(deny), cooldown, exempt, hideRetracted,
                List.copyOf(access));
    }

    /** Go durations ({@code 72h}, {@code 1h30m}, {@code 90s}) or ISO-8601 ({@code PT72H}, {@code P3D}). */
    static Duration duration(String s) {
        String t = s.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (!t.matches("(\\d{1,9}(h|m|s))+")) {
                throw new IllegalArgumentException();
            }
            return Duration.parse("PT" + t.toUpperCase(java.util.Locale.ROOT));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("policy: not a duration: \"" + VersionRange.abbreviate(t) + "\" (e.g. 72h)");
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException("policy: unknown key " + where + "." + VersionRange.abbreviate(k));
            }
        }
    }

    private static String text(JsonNode node, String key, String def) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("policy: " + key + " must be a single value");
        }
        return v.asText();
    }

    private static String required(JsonNode node, String key, String where) {
        String v = text(node, key, null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("policy: " + where + "." + key + " is required");
        }
        return v;
    }

    private static List<String> strings(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isValueNode()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("policy: " + where + " must be a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isValueNode() || n.asText().isBlank()) {
                throw new IllegalArgumentException("policy: " + where + " must hold non-empty strings");
            }
            out.add(n.asText().strip());
        }
        return List.copyOf(out);
    }

    private static List<String> patterns(JsonNode node, String where) {
        List<String> out = new ArrayList<>();
        for (String p : strings(node, where)) {
            out.add(pattern(p, where));
        }
        return List.copyOf(out);
    }

    private static String pattern(String p, String where) {
        String s = p.strip();
        if (s.isEmpty() || s.contains(",")) {
            throw new IllegalArgumentException("policy: " + where + ": one module pattern per entry, no commas");
        }
        try {
            GlobMatch.match(s, "x");
        } catch (GoModException e) {
            throw new IllegalArgumentException("policy: " + where + ": bad pattern: " + e.getMessage());
        }
        return s;
    }
}
