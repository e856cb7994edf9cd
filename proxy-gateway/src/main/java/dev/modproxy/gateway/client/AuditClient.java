package dev.modproxy.gateway.client;

import dev.modproxy.gateway.config.AuditPublishConfig;
import dev.modproxy.gateway.config.OpsConfig;
import dev.modproxy.internal.ServiceCredential;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Download counts from audit-service ({@code modproxy.audit.endpoint}): its query API
 * {@code GET /api/v1/audit?module=<path>&kind=zip&format=ndjson} streams one event per line;
 * successful ({@code status} 200) zip downloads are counted per {@code version}. The audit
 * trail is optional to the gateway: without it the answer says why there are no counts. Every
 * query carries the {@link ServiceCredential}: audit-service answers only modproxy's own services.
 */
@ApplicationScoped
public class AuditClient {

    /** Counts per version, or why there are none. */
    public record Downloads(Map<String, Long> perVersion, String unavailable) {
        public boolean available() {
            return unavailable == null;
        }
    }

    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*(\\d+)");

    private final Optional<URI> endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ServiceCredential credential;

    public AuditClient(OpsConfig config, ServiceCredential credential) {
        this.credential = credential;
        // The same default as the /api/v1/audit forward: where deploy/local/up runs audit-service.
        this.endpoint = Optional.of(config.audit().endpoint().orElse(AuditPublishConfig.DEFAULT_ENDPOINT));
    }

    public Downloads downloads(String module) {
        if (endpoint.isEmpty()) {
            return new Downloads(Map.of(), "audit-service not configured (modproxy.audit.endpoint)");
        }
        String base = endpoint.get().toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/v1/audit?module=" + URLEncoder.encode(module, StandardCharsets.UTF_8)
                + "&kind=zip&format=ndjson");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET();
            credential.authorization().ifPresent(a -> request.header(ServiceCredential.HEADER, a));
            HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                if (r.statusCode() != 200) {
                    String reason = in.readLine();
                    return new Downloads(Map.of(), "audit-service answered " + r.statusCode()
                            + (reason == null || reason.isBlank() ? "" : ": " + reason.strip()));
                }
                Map<String, Long> counts = new HashMap<>();
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher v = VERSION.matcher(line);
                    Matcher s = STATUS.matcher(line);
                    if (v.find() && s.find() && s.group(1).equals("200")) {
                        counts.merge(v.group(1), 1L, Long::sum);
                    }
                }
                return new Downloads(counts, null);
            }
        } catch (IOException e) {
            return new Downloads(Map.of(), "audit-service at " + base + " (modproxy.audit.endpoint) unavailable: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Downloads(Map.of(), "interrupted");
        }
    }
}
