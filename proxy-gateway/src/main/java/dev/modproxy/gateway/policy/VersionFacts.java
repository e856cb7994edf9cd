package dev.modproxy.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modproxy.gateway.service.Artifact;
import dev.modproxy.gateway.service.ArtifactService;
import dev.modproxy.gateway.service.ProxyException;
import dev.modproxy.gateway.service.ProxyException.Kind;
import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.modfile.GoMod;
import dev.modproxy.gomod.module.ModulePath;
import dev.modproxy.gomod.proxy.ProxyRequest;
import dev.modproxy.gomod.proxy.ProxyRequest.Type;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What policy needs to know about versions, read through the gateway's own answers (memory,
 * storage, or a fetch): a version's {@code .info} Time and a version's go.mod. Blocks.
 */
@ApplicationScoped
public class VersionFacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArtifactService service;

    public VersionFacts(ArtifactService service) {
        this.service = service;
    }

    /** The {@code Time} of {@code version}'s .info. */
    public Instant time(ModulePath module, String version) throws ProxyException {
        byte[] info = bytes(service.resolve(new ProxyRequest(module, Type.INFO, version)));
        return info(info).time();
    }

    /** The go.mod of {@code version}, leniently parsed (as go reads dependencies' go.mod files). */
    public Optional<GoMod> goMod(ModulePath module, String version) throws ProxyException {
        byte[] mod = bytes(service.resolve(new ProxyRequest(module, Type.MOD, version)));
        try {
            return Optional.of(GoMod.parseLax("go.mod", mod));
        } catch (GoModException e) {
            return Optional.empty();
        }
    }

    public Artifact resolve(ProxyRequest request) throws ProxyException {
        return service.resolve(request);
    }

    /** Version and Time of an .info (or @latest) answer. */
    public record Info(String version, Instant time) {
    }

    public static Info info(byte[] json) throws ProxyException {
        try {
            JsonNode n = JSON.readTree(json);
            String version = n.path("Version").asText("");
            String time = n.path("Time").asText("");
            return new Info(version, time.isEmpty() ? null : OffsetDateTime.parse(time).toInstant());
        } catch (IOException | DateTimeParseException e) {
            throw new ProxyException(Kind.BAD_GATEWAY, "unreadable .info answer: " + e.getMessage());
        }
    }

    public byte[] bytes(Artifact a) throws ProxyException {
        if (a instanceof Artifact.InMemory m) {
            return m.bytes();
        }
        Artifact.Stored s = (Artifact.Stored) a;
        try (InputStream in = service.open(s, 0, s.size())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ProxyException(Kind.UNAVAILABLE, "storage unavailable: " + e.getMessage(), e);
        }
    }
}
