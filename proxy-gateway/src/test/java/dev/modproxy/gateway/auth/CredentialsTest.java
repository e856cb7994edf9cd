package dev.modproxy.gateway.auth;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Authorization header parser: the accepted forms, and nothing but {@code Malformed} for anything else. */
class CredentialsTest {

    static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicAsGoSendsIt() throws Exception {
        assertEquals(new Credentials.Basic("alice", "s3:cr:et"), Credentials.parse(basic("alice:s3:cr:et")));
        assertEquals(new Credentials.Basic("bob", ""), Credentials.parse("basic  " + Base64.getEncoder()
                .encodeToString("bob:".getBytes(StandardCharsets.UTF_8))));
        assertEquals(new Credentials.Bearer("abc.DEF-_~+/="), Credentials.parse("Bearer abc.DEF-_~+/="));
    }

    @Test
    void malformedHeaders() {
        for (String h : new String[] {"", "Basic", "Basic ", "Basic !!!", basic(":nouser"), basic("nocolon"),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'}), "Digest x=y",
                "Bearer", "Bearer a b", "Bearer \u00e9", "Negotiate abc", "Basic " + "A".repeat(9000)}) {
            assertThrows(Credentials.Malformed.class, () -> Credentials.parse(h), h);
        }
    }

    @Property(tries = 2000)
    void anyHeaderParsesOrIsMalformed(@ForAll @StringLength(max = 200) String header) {
        try {
            Credentials c = Credentials.parse(header);
            assertTrue(c instanceof Credentials.Basic b && !b.user().isEmpty() || c instanceof Credentials.Bearer);
        } catch (Credentials.Malformed e) {
            assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"));
        }
    }

    @Property(tries = 1000)
    void basicRoundTrips(@ForAll @StringLength(min = 1, max = 40) String user, @ForAll @StringLength(max = 40) String pass)
            throws Exception {
        if (user.contains(":") || !StandardCharsets.UTF_8.newEncoder().canEncode(user + pass)) {
            return;
        }
        assertEquals(new Credentials.Basic(user, pass), Credentials.parse(basic(user + ":" + pass)));
    }
}
