package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSRF guard: which URLs direct fetching may open. */
class NetGuardTest {

    private final NetGuard strict = new NetGuard(false);
    private final NetGuard loopbackOk = new NetGuard(true);

    @Test
    void loopbackOnlyWhenAllowed() {
        FetchException e = assertThrows(FetchException.class, () -> strict.check(URI.create("https://127.0.0.2/x"), false));
        assertEquals(Kind.BAD_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertDoesNotThrow(() -> loopbackOk.check(URI.create("https://127.0.0.2/x"), false));
    }

    @Test
    void metadataAndLinkLocalNever() {
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data", "https://[fe80::1]/x",
                "https://0.0.0.0/x", "https://[fd00:ec2::254]/x", "https://224.0.0.1/x"}) {
            FetchException e = assertThrows(FetchException.class, () -> loopbackOk.check(URI.create(url), true), url);
            assertEquals(Kind.BAD_REQUEST, e.kind(), url);
        }
    }

    @Test
    void plainHttpOnlyForInsecureModules() {
        FetchException e = assertThrows(FetchException.class, () -> loopbackOk.check(URI.create("http://127.0.0.2/x"), false));
        assertTrue(e.getMessage().contains("modproxy.insecure"), e.getMessage());
        assertDoesNotThrow(() -> loopbackOk.check(URI.create("http://127.0.0.2/x"), true));
        assertThrows(FetchException.class, () -> loopbackOk.check(URI.create("file:///etc/passwd"), true));
    }

    @Test
    void unknownHostsAreNotFound() {
        FetchException e = assertThrows(FetchException.class, () -> strict.check(URI.create("https://nosuchhost.invalid/x"), false));
        assertEquals(Kind.NOT_FOUND, e.kind());
    }

    @Test
    void internalAddressesAreRefusedForModulesOutsidePrivate() {
        for (String url : new String[] {"https://10.1.2.3/x", "https://172.16.0.1/x", "https://172.31.255.255/x",
                "https://192.168.1.1/x", "https://100.64.0.1/x", "https://100.127.255.254/x", "https://[fc00::1]/x",
                "https://[fd12:3456::1]/x", "https://[64:ff9b::a00:1]/x", "https://100.100.100.200/latest/meta-data"}) {
            FetchException e = assertThrows(FetchException.class, () -> loopbackOk.check(URI.create(url), false), url);
            assertEquals(Kind.BAD_REQUEST, e.kind(), url);
        }
        for (String url : new String[] {"https://172.32.0.1/x", "https://100.128.0.1/x", "https://11.0.0.1/x",
                "https://[2001:db8::1]/x"}) {
            assertDoesNotThrow(() -> loopbackOk.check(URI.create(url), false), url);
        }
    }
}
