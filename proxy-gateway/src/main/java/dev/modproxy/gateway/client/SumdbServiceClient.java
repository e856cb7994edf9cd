package dev.modproxy.gateway.client;

import dev.modproxy.gateway.config.GatewayConfig;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.internal.ServiceCredential;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's own questions to sumdb-service (the {@code /sumdb/*} forward is a plain
 * reverse proxy and does not use this): the verifier key, a record of the own checksum log, and
 * the internal verify/record API an imported bundle goes through like a fetched version.
 *
 * <p>Every request carries the {@link ServiceCredential}: sumdb-service answers only modproxy's own
 * services.
 *
 * <p>Lookup answers are {@code <record id>\n<path> <version> h1:…\n<path> <version>/go.mod h1:…\n\n<signed tree head>}.
 */
@ApplicationScoped
public class SumdbServiceClient {

    /** One record of the own log: its id, the zip and go.mod hashes, and the raw lookup answer. */
    public record LogRecord(long id, String zipHash, String modHash, String raw) {
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ServiceCredential credential;
    private volatile String verifierKey;

    public SumdbServiceClient(GatewayConfig config, ServiceCredential credential) {
        this.credential = credential;
        String base = config.sumdb().endpoint().toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/");
    }

    /** {@code <name>+<hash>+<key>}, the value for GOSUMDB; cached once known (the key is pinned). */
    public String verifierKey() throws ProxyException {
        String k = verifierKey;
        if (k == null) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint.resolve("api/v1/sumdb/verifier-key")).GET());
            if (r.statusCode() != 200) {
                throw new ProxyException(Kind.BAD_GATEWAY, "checksum database service answered " + r.statusCode()
                        + " for its verifier key");
            }
            k = r.body().strip();
            verifierKey = k;
        }
        return k;
    }

    public String databaseName() throws ProxyException {
        String k = verifierKey();
        int plus = k.indexOf('+');
        return plus < 0 ? k : k.substring(0, plus);
    }

    /** The own log's record of {@code mv}; empty when it has none (404/410). */
    public Optional<LogRecord> lookup(ModuleVersion mv) throws ProxyException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint.resolve("sumdb/" + databaseName() + "/lookup/"
                + mv.path().escaped() + "@" + mv.escapedVersion())).GET().timeout(Duration.ofSeconds(30)));
        if (r.statusCode() == 404 || r.statusCode() == 410) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new ProxyException(Kind.BAD_GATEWAY, "checksum database lookup of " + mv + " answered "
                    + r.statusCode() + ": " + ProxyException.oneLine(r.body()));
        }
        String[] lines = r.body().split("\n");
        String zip = null;
        String mod = null;
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String[] f = lines[i].split(" ");
            if (f.length == 3 && f[1].endsWith("/go.mod")) {
                mod = f[2];
            } else if (f.length == 3) {
                zip = f[2];
            }
        }
        try {
            return Optional.of(new LogRecord(Long.parseLong(lines[0].strip()), zip, mod, r.body()));
        } catch (NumberFormatException e) {
            throw new ProxyException(Kind.BAD_GATEWAY, "checksum database lookup of " + mv + ": no record id");
        }
    }

    /**
     * What sumdb-service's verify step found: {@code skipped} when it did not ask the upstream
     * database (the module matches its {@code modproxy.nosumdb}, or its upstream is off), and
     * whether the module matches {@code modproxy.nosumdb}.
     */
    public record Verification(boolean skipped, boolean nosumdb) {
    }

    /**
     * Verifies against the upstream checksum database ({@code zipHash} null: the go.mod hash
     * alone). A mismatch, or a version the upstream database does not know, is a 400 that says
     * so; failures of the service a 502.
     */
    public Verification verify(ModuleVersion mv, String zipHash, String modHash) throws ProxyException {
        String body = post("verify", mv, zipHash, modHash);
        return new Verification(body.matches("(?s).*\"status\"\\s*:\\s*\"skipped\".*"),
                body.matches("(?s).*\"nosumdb\"\\s*:\\s*true.*"));
    }

    /** A tile of the own log ({@code tile/H/L/N[.p/W]}), as its server publishes it. */
    public byte[] tile(String tilePath) throws ProxyException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("sumdb/" + databaseName() + "/" + tilePath))
                    .GET().timeout(Duration.ofSeconds(30));
            credential.authorization().ifPresent(a -> request.header(ServiceCredential.HEADER, a));
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new ProxyException(Kind.BAD_GATEWAY, "checksum database answered " + r.statusCode() + " for " + tilePath);
            }
            return r.body();
        } catch (IOException e) {
            throw new ProxyException(Kind.BAD_GATEWAY, "checksum database service " + endpoint + " unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(Kind.UNAVAILABLE, "interrupted");
        }
    }

    /** Records in the own log (idempotent for the same hashes); returns the record id. */
    public long record(ModuleVersion mv, String zipHash, String modHash) throws ProxyException {
        var m = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(post("record", mv, zipHash, modHash));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String post(String step, ModuleVersion mv, String zipHash, String modHash) throws ProxyException {
        // (module paths, versions and h1: hashes hold no character JSON escapes)
        String body = "{\"module\":\"" + mv.path().value() + "\",\"version\":\"" + mv.version()
                + "\",\"zipHash\":" + (zipHash == null ? "null" : "\"" + zipHash + "\"")
                + ",\"modHash\":\"" + modHash + "\"}";
        HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint.resolve("internal/v1/sumdb/" + step))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() == 409 || r.statusCode() == 404) {
            throw new ProxyException(Kind.BAD_REQUEST, mv + ": " + ProxyException.oneLine(r.body()));
        }
        if (r.statusCode() != 200) {
            throw new ProxyException(Kind.BAD_GATEWAY, "checksum database " + step + " of " + mv + " answered "
                    + r.statusCode() + ": " + ProxyException.oneLine(r.body()));
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws ProxyException {
        credential.authorization().ifPresent(a -> request.header(ServiceCredential.HEADER, a));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProxyException(Kind.BAD_GATEWAY, "checksum database service " + endpoint + " unavailable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyException(Kind.UNAVAILABLE, "interrupted");
        }
    }
}
