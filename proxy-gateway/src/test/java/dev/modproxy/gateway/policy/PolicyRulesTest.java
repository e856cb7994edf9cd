package dev.modproxy.gateway.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyRulesTest {

    static PolicyRules parse(String s) throws Exception {
        return PolicyRules.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDocumentedExample() throws Exception {
        PolicyRules r = parse("""
                mode: allow-list
                allow: ["github.com/corp/*", "golang.org/x"]
                deny:
                  - module: "golang.org/x/crypto"
                    versions: "<v0.17.0"
                    reason: "CVE-2023-48795: use v0.17.0 or later"
                  - module: "github.com/corp/legacy"
                    reason: "retired"
                    status: 403
                cooldown:
                  min-age: 72h
                  exempt: ["github.com/corp/*"]
                hide-retracted: true
                access:
                  - modules: ["github.com/corp/secret"]
                    readers: ["alice", "group:dev"]
                """);
        assertTrue(r.moduleDenied("example.com/x").isPresent());
        assertTrue(r.moduleDenied("golang.org/x/text").isEmpty());
        assertEquals("golang.org/x/crypto@v0.16.0: CVE-2023-48795: use v0.17.0 or later",
                r.versionDenied("golang.org/x/crypto", "v0.16.0").orElseThrow().reason());
        assertTrue(r.versionDenied("golang.org/x/crypto", "v0.17.0").isEmpty());
        assertEquals(403, r.moduleDenied("github.com/corp/legacy").orElseThrow().status());
        assertEquals(Duration.ofHours(72), r.cooldownOf("golang.org/x/text"));
        assertEquals(Duration.ZERO, r.cooldownOf("github.com/corp/app"));
        assertEquals(0, r.accessRuleOf("github.com/corp/secret/v2"));
        assertEquals(-1, r.accessRuleOf("github.com/corp/public"));
        assertTrue(r.filtersAnswers());
        assertEquals(PolicyRules.NONE, parse(""));
        assertEquals(Duration.ofMinutes(90), parse("{\"cooldown\": {\"min-age\": \"1h30m\"}}").cooldown());
    }

    @Test
    void mistakesAreErrors() {
        for (String bad : new String[] {"mode: open", "deny: {}", "deny: [{reason: x}]", "deny: [{module: a, status: 404}]",
                // 410 and 404 let the go command fall through to the next GOPROXY entry: a block must hold.
                "deny: [{module: a, status: 410}]",
                "denny: []", "deny: [{module: a, versions: '1.0'}]", "cooldown: {min-age: soon}", "hide-retracted: maybe",
                "access: [{readers: [a]}]", "allow: ['a,b']", "allow: ['[']", "- a", "deny: [{module: a, reason: ''}]"}) {
            assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
        }
    }

    @Property(tries = 1000)
    void anyDocumentParsesOrFailsWithAReason(@ForAll @StringLength(max = 120) String text) {
        try {
            parse(text);
        } catch (Exception e) {
            assertFalse(e instanceof NullPointerException || e instanceof ClassCastException, e.toString());
        }
    }
}
