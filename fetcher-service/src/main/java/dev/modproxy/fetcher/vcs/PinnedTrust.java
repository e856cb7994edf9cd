package dev.modproxy.fetcher.vcs;

import dev.modproxy.fetcher.client.TrustBundle;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * TLS trust for direct fetching: certificates pinned per host ({@code modproxy.vcs.pins}) on top
 * of the CAs of {@code modproxy.tls.trust} and the JDK.
 *
 * <p>A pin is {@code host=sha256/<base64>} (the standard base64 of the SHA-256 of the certificate's
 * DER encoding: {@code openssl x509 -in c.pem -outform DER | openssl dgst -sha256 -binary | base64})
 * or {@code host=/path/to/cert.pem} (every certificate in the file). A host may be named several
 * times (rotation: any of its pins will do); host names are compared case-insensitively, ports are
 * not part of a pin.
 *
 * <p>For a pinned host the server's leaf certificate must be one of its pins and nothing else is
 * asked: no CA, no expiry, no host name check — the pin is the server's identity, which is what a
 * self-signed certificate needs. For every other host the CA trust manager decides, host name
 * included: it is an {@link X509ExtendedTrustManager} that sees the socket or engine, so the
 * endpoint identification that HttpsURLConnection (JGit) and HttpClient (go-import discovery)
 * request stays in force.
 */
final class PinnedTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager cas;
    private final Map<String, Set<String>> pins;

    private PinnedTrust(X509ExtendedTrustManager cas, Map<String, Set<String>> pins) {
        this.cas = cas;
        this.pins = pins;
    }

    /**
     * The trust managers for direct fetching, or null when neither pins nor extra CAs are
     * configured (the JDK defaults then apply unchanged).
     */
    static TrustManager[] trustManagers(List<Path> caFiles, List<String> pinSpecs) throws IOException {
        if (pinSpecs.isEmpty()) {
            return caFiles.isEmpty() ? null : TrustBundle.trustManagers(caFiles);
        }
        Map<String, Set<String>> pins = parse(pinSpecs);
        X509ExtendedTrustManager cas = null;
        try {
            TrustManager[] base = caFiles.isEmpty() ? jdkDefaults() : TrustBundle.trustManagers(caFiles);
            for (TrustManager tm : base) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    cas = x;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("modproxy.vcs.pins: " + e.getMessage(), e);
        }
        if (cas == null) {
            throw new IOException("modproxy.vcs.pins: the JDK has no X.509 trust manager that checks host names");
        }
        return new TrustManager[] {new PinnedTrust(cas, pins)};
    }

    /** An SSL context with {@link #trustManagers}, for HttpClient. */
    static SSLContext sslContext(TrustManager[] trust) throws IOException {
        try {
            if (trust == null) {
                return SSLContext.getDefault();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** {@code host=sha256/<base64>} or {@code host=<PEM file>} → host → base64 SHA-256 digests. */
    static Map<String, Set<String>> parse(List<String> specs) throws IOException {
        Map<String, Set<String>> pins = new HashMap<>();
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IOException("modproxy.vcs.pins: \"" + spec + "\" is not host=sha256/<base64> or host=<PEM file>");
            }
            String host = spec.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = spec.substring(eq + 1).strip();
            Set<String> set = pins.computeIfAbsent(host, h -> new HashSet<>());
            if (value.startsWith("sha256/")) {
                String b64 = value.substring("sha256/".length());
                byte[] digest;
                try {
                    digest = Base64.getDecoder().decode(b64);
                } catch (IllegalArgumentException e) {
                    digest = new byte[0];
                }
                if (digest.length != 32) {
                    throw new IOException("modproxy.vcs.pins: " + host + ": \"" + b64 + "\" is not the base64 of a SHA-256 digest");
                }
                set.add(Base64.getEncoder().encodeToString(digest));
            } else {
                set.addAll(pemDigests(host, Path.of(value)));
            }
        }
        return pins;
    }

    private static List<String> pemDigests(String host, Path pem) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add(digest(c));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("modproxy.vcs.pins: " + host + ": cannot read a certificate from " + pem + ": " + e, e);
        }
        if (out.isEmpty()) {
            throw new IOException("modproxy.vcs.pins: " + host + ": no certificate in " + pem);
        }
        return out;
    }

    static String digest(Certificate c) throws CertificateEncodingException {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManager[] jdkDefaults() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        return tmf.getTrustManagers();
    }

    /** True when {@code host} is pinned: then the leaf must match, and nothing else is checked. */
    private boolean checkPin(X509Certificate[] chain, String host) throws CertificateException {
        Set<String> allowed = host == null ? null : pins.get(host.toLowerCase(Locale.ROOT));
        if (allowed == null) {
            return false;
        }
        if (chain == null || chain.length == 0) {
            throw new CertificateException("TLS server " + host + " sent no certificate");
        }
        String got = digest(chain[0]);
        if (!allowed.contains(got)) {
            throw new CertificateException("the certificate of " + host + " (sha256/" + got
                    + ") does not match its pin in modproxy.vcs.pins");
        }
        return true;
    }

    private static String peerHost(SSLSession s) {
        return s == null ? null : s.getPeerHost();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        String host = socket instanceof SSLSocket s ? peerHost(s.getHandshakeSession()) : null;
        if (!checkPin(chain, host)) {
            cas.checkServerTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        String host = engine == null ? null : engine.getHandshakeSession() != null
                ? peerHost(engine.getHandshakeSession()) : engine.getPeerHost();
        if (!checkPin(chain, host)) {
            cas.checkServerTrusted(chain, authType, engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // No connection to name the host: only the CAs can decide.
        cas.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        cas.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        cas.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        cas.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return cas.getAcceptedIssuers();
    }
}
