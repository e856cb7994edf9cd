package dev.modproxy.testing;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1, made with the JDK's own {@code keytool} (so tests
 * need no crypto library): the key store for an HTTPS test server, and the certificate as PEM
 * for whoever must trust it, like a company's private CA.
 */
public final class TestCertificates {

    private static final String PASSWORD = "changeit";

    private final Path keyStore;
    private final Path pem;

    private TestCertificates(Path keyStore, Path pem) {
        this.keyStore = keyStore;
        this.pem = pem;
    }

    public static TestCertificates create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ks = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        Files.deleteIfExists(ks);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-ext", "BC:c=ca:true", "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(),
                "-storepass", PASSWORD, "-file", pem.toString()));
        return new TestCertificates(ks, pem);
    }

    /** The certificate in PEM, as {@code modproxy.tls.trust} takes it. */
    public Path pem() {
        return pem;
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }
}
