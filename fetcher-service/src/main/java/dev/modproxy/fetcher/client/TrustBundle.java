package dev.modproxy.fetcher.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CAs an upstream's certificate may chain to: the JDK's own, plus every certificate in the
 * PEM files of {@code modproxy.tls.trust} (a company's private CA). Adding to, rather than
 * replacing, the JDK set keeps public upstreams such as proxy.golang.org working alongside
 * internal ones.
 */
public final class TrustBundle {

    private TrustBundle() {
    }

    public static SSLContext sslContext(List<Path> pemFiles) throws IOException {
        if (pemFiles.isEmpty()) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw new IOException("no default TLS context: " + e.getMessage(), e);
            }
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers(pemFiles), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("modproxy.tls.trust: " + e.getMessage(), e);
        }
    }

    /** The trust managers of {@link #sslContext}, for clients that take those (JGit). */
    public static TrustManager[] trustManagers(List<Path> pemFiles) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : jdkDefaults().getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + n++, ca);
            }
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path pem : pemFiles) {
                try (InputStream in = Files.newInputStream(pem)) {
                    var certs = x509.generateCertificates(in);
                    if (certs.isEmpty()) {
                        throw new IOException("modproxy.tls.trust: no certificate in " + pem);
                    }
                    for (Certificate c : certs) {
                        store.setCertificateEntry("extra-" + n++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("modproxy.tls.trust: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager jdkDefaults() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }
}
