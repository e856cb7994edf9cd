package dev.modproxy.gateway.auth;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users and tokens files, and bcrypt checking through BouncyCastle. */
public class AccountsTest {

    public static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, 4);
    }

    @Test
    void usersFileWithGroupsCommentsAndBcryptVariants() {
        String h = bcrypt("pw");
        String text = "# users\n\nalice:" + h + ":dev,admin\r\nbob:" + h.replace("$2a$", "$2y$") + "\n";
        var users = Accounts.users(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of("dev", "admin"), users.get("alice").groups());
        assertEquals(Set.of(), users.get("bob").groups());
        assertTrue(Authenticator.checkPassword(users.get("alice").hash(), "pw"));
        assertTrue(Authenticator.checkPassword(users.get("bob").hash(), "pw"));
        assertFalse(Authenticator.checkPassword(users.get("alice").hash(), "PW"));
        assertFalse(Authenticator.checkPassword(users.get("alice").hash(), "x".repeat(100)));
    }

    @Test
    void badLinesMakeTheFileUnusableWithoutEchoingIt() {
        for (String bad : new String[] {"alice", "alice:plaintext", ":" + bcrypt("x"), "a:" + bcrypt("x") + ":g:extra",
                "a:" + bcrypt("x") + ":,", "a:" + bcrypt("x") + "\na:" + bcrypt("y")}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Accounts.users(bad.getBytes(StandardCharsets.UTF_8)));
            assertFalse(e.getMessage().contains("plaintext"));
        }
        assertThrows(IllegalArgumentException.class, () -> Accounts.tokens("abc:bot".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tokensByHash() {
        String hash = Authenticator.sha256("tok-123");
        var tokens = Accounts.tokens((hash.toUpperCase() + ":ci-bot:ci\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("ci-bot", tokens.get(hash).name());
    }

    @Property(tries = 500)
    void anyFileParsesOrFailsCleanly(@ForAll byte[] file) {
        try {
            Accounts.users(file);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().contains("\n"));
        }
        try {
            Accounts.tokens(file);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
