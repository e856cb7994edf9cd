package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.FetchException;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * TLS sockets for direct fetching whose TCP connection is checked by the {@link NetGuard} at
 * connect time, against the address actually connected to. The JDK's https client asks for an
 * unconnected socket, connects it to the address it resolved, then layers TLS on it
 * ({@link #createSocket(Socket, String, int, boolean)}); the check sits in that connect. A name
 * that resolved to a public address when the URL was checked and to an internal one now (DNS
 * rebinding) is refused here.
 */
final class CheckedSocketFactory extends SSLSocketFactory {

    /** Whom the sockets are for: the host asked for and whether the module may reach internal addresses. */
    record Scope(NetGuard guard, String host, boolean privateModule) {
    }

    private final SSLSocketFactory tls;
    private final Scope scope;

    CheckedSocketFactory(SSLSocketFactory tls, Scope scope) {
        this.tls = tls;
        this.scope = scope;
    }

    /** A plain TCP socket that checks where it connects. */
    static final class CheckedSocket extends Socket {
        private final Scope scope;

        CheckedSocket(Scope scope) {
            this.scope = scope;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (endpoint instanceof InetSocketAddress isa) {
                InetAddress a = isa.getAddress();
                if (a == null) {
                    throw new java.net.UnknownHostException(isa.getHostString());
                }
                try {
                    scope.guard().checkAddress(scope.host(), a, scope.privateModule());
                } catch (FetchException e) {
                    close();
                    throw new GuardedConnectionFactory.Refused(e);
                }
            }
            super.connect(endpoint, timeout);
        }
    }

    @Override
    public Socket createSocket() {
        return new CheckedSocket(scope);
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return tls.createSocket(s, host, port, autoClose);
    }

    // The JDK's https client uses the two methods above; these connect at once, so they are checked too.

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return tls.createSocket(s, host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(host, port));
        return tls.createSocket(s, host.getHostName(), port, true);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address, port);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }
}
