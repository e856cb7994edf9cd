package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;
import dev.modproxy.fetcher.FetchException.Kind;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may reach internal addresses (modules matching modproxy.private, hosts in
 * modproxy.vcs.allow-hosts; metadata never), and the connect-time check that makes DNS
 * rebinding useless: the socket refuses the address it is about to connect to, whatever the
 * name resolved to when the URL was checked.
 */
class NetGuardScopeTest {

    private final NetGuard guard = new NetGuard(false, List.of("Git.Corp.Example"));

    @Test
    void privateModulesAndAllowedHostsMayReachInternalAddressesMetadataNever() throws Exception {
        assertDoesNotThrow(() -> guard.check(URI.create("https://10.1.2.3/x"), false, true));
        assertDoesNotThrow(() -> guard.checkAddress("git.corp.example", InetAddress.getByName("10.1.2.3"), false));
        assertThrows(FetchException.class, () -> guard.checkAddress("other.example", InetAddress.getByName("10.1.2.3"), false));
        for (String metadata : new String[] {"169.254.169.254", "100.100.100.200", "fd00:ec2::254"}) {
            FetchException e = assertThrows(FetchException.class,
                    () -> guard.checkAddress("git.corp.example", InetAddress.getByName(metadata), true), metadata);
            assertEquals(Kind.BAD_REQUEST, e.kind());
        }
    }

    @Test
    void theSocketChecksTheAddressItConnectsTo() throws Exception {
        // a public name that now resolves to loopback: refused at connect, before any byte is sent
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(300);
            CheckedSocketFactory f = new CheckedSocketFactory(
                    (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault(),
                    new CheckedSocketFactory.Scope(guard, "public.example", false));
            try (Socket s = f.createSocket()) {
                GuardedConnectionFactory.Refused e = assertThrows(GuardedConnectionFactory.Refused.class,
                        () -> s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.getLocalPort()), 1000));
                assertTrue(e.getMessage().contains("loopback"), e.getMessage());
            }
            assertThrows(SocketTimeoutException.class, server::accept, "the refused socket connected anyway");
        }
    }
}
