package dev.modproxy.fetcher.vcs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The syntax of {@code modproxy.vcs.pins}; the TLS behaviour is {@link PinnedCertificateTest}'s. */
class PinnedTrustTest {

    private static final String DIGEST = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void digestsAreKeptPerLowerCaseHostAndRepeatedHostsAccumulate() throws IOException {
        String other = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        Map<String, Set<String>> pins = PinnedTrust.parse(List.of(" Git.Corp.Example = sha256/" + DIGEST, "git.corp.example=sha256/" + other, ""));
        assertEquals(Map.of("git.corp.example", Set.of(DIGEST, other)), pins);
    }

    @Test
    void malformedPinsAreRefusedAtStartup() {
        for (String bad : List.of("no-equals", "=sha256/" + DIGEST, "h=", "h=sha256/not-base64!", "h=sha256/AAAA",
                "h=/no/such/file.pem")) {
            IOException e = assertThrows(IOException.class, () -> PinnedTrust.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("modproxy.vcs.pins"), e.getMessage());
        }
    }

    @Test
    void withoutPinsOrCasTheJdkDefaultsStay() throws IOException {
        assertNull(PinnedTrust.trustManagers(List.of(), List.of()));
    }
}
