package dev.modproxy.fetcher.vcs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The file formats of {@link Credentials}: a directory of one file per host, and netrc. */
class CredentialsTest {

    @TempDir
    Path dir;

    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBareTokenIsThePasswordOfTheTokenUser() throws Exception {
        Files.writeString(dir.resolve("git.corp.example"), "  ghp_abc123 \n\nignored\n");
        Credentials c = new Credentials(Optional.empty(), Optional.of(dir));
        assertEquals(Optional.of(basic("x-access-token:ghp_abc123")), c.basicAuth("git.corp.example"));
        assertEquals(Optional.of(basic("x-access-token:ghp_abc123")), c.basicAuth("GIT.corp.example"));
    }

    @Test
    void userAndPasswordSplitAtTheFirstColon() throws Exception {
        Files.writeString(dir.resolve("gitlab.corp.example"), "gitlab+deploy-token-1:pa:ss\n");
        Credentials c = new Credentials(Optional.empty(), Optional.of(dir));
        assertEquals(Optional.of(basic("gitlab+deploy-token-1:pa:ss")), c.basicAuth("gitlab.corp.example"));
    }

    @Test
    void unknownHostsEmptyFilesAndHiddenNamesGiveNothing() throws Exception {
        Files.writeString(dir.resolve("empty.example"), "\n");
        Files.writeString(dir.resolve("..data"), "token");
        Credentials c = new Credentials(Optional.empty(), Optional.of(dir));
        assertEquals(Optional.empty(), c.basicAuth("other.example"));
        assertEquals(Optional.empty(), c.basicAuth("empty.example"));
        assertEquals(Optional.empty(), c.basicAuth("..data"));
        assertNull(c.forUrl("https://other.example/x.git"));
    }

    @Test
    void theDirectoryComesBeforeNetrc() throws Exception {
        Path netrc = dir.resolve("netrc");
        Files.writeString(netrc, "machine both.example login n password fromnetrc\nmachine netrc.example login n password p\n");
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secret.resolve("both.example"), "d:fromdir");
        Credentials c = new Credentials(Optional.of(netrc), Optional.of(secret));
        assertEquals(Optional.of(basic("d:fromdir")), c.basicAuth("both.example"));
        assertEquals(Optional.of(basic("n:p")), c.basicAuth("netrc.example"));
    }
}
