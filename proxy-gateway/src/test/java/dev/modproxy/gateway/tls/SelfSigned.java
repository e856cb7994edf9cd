package dev.modproxy.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool:
 * {@code server.p12} (key and certificate) and {@code server.pem} (the certificate, for clients).
 */
public final class SelfSigned {

    public static final String PASSWORD = "changeit";

    private SelfSigned() {
    }

    public static Path make(Path dir) {
        try {
            Files.createDirectories(dir);
            Path p12 = dir.resolve("server.p12");
            Files.deleteIfExists(p12);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
            run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", p12.toString(),
                    "-storepass", PASSWORD, "-file", dir.resolve("server.pem").toString()));
            return p12;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("keytool failed: " + e, e);
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd.subList(0, 2)) + ": " + out);
        }
    }
}
