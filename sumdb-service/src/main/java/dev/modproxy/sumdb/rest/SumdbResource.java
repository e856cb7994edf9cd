package dev.modproxy.sumdb.rest;

import dev.modproxy.gomod.GoModException;
import dev.modproxy.gomod.module.ModuleVersion;
import dev.modproxy.gomod.tlog.Tile;
import dev.modproxy.sumdb.SumdbException;
import dev.modproxy.sumdb.SumdbException.Kind;
import dev.modproxy.sumdb.service.OwnDatabase;
import dev.modproxy.sumdb.service.UpstreamDatabase;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import java.util.regex.Pattern;

/**
 * The checksum database protocol (x/mod's sumdb server, and the proxying of it that cmd/go
 * expects) at {@code /sumdb/<name>/…}, for the own database and the upstream one:
 * <pre>
 *   supported                 200 if this service answers for &lt;name&gt; (cmd/go asks a GOPROXY this)
 *   latest                    the signed tree head
 *   lookup/&lt;module&gt;@&lt;version&gt;  the record (id, go.sum lines, blank line) then the signed tree head;
 *                             both case-escaped; must match ^[^@]+@v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)?$
 *   tile/H/L/NNN[.p/W]        hash tiles (octet-stream) and data tiles (L = data, text)
 * </pre>
 * A name is a {@code host[/path]}, so it may hold slashes: the longest configured name that
 * prefixes the path wins. Unknown names and operations are 404, malformed lookups and tile
 * paths 400, each with a one-line reason.
 */
@Path("/sumdb")
public class SumdbResource {

    private static final Pattern MOD_VER = Pattern.compile(
            "^[^@]+@v[0-9]+\\.[0-9]+\\.[0-9]+(-[^@]*)?(\\+incompatible)?$");
    private static final String TEXT = "text/plain; charset=UTF-8";

    private final OwnDatabase own;
    private final UpstreamDatabase upstream;

    public SumdbResource(OwnDatabase own, UpstreamDatabase upstream) {
        this.own = own;
        this.upstream = upstream;
    }

    @GET
    @Path("{rest: .+}")
    public Response get(@Context HttpServerRequest http) throws SumdbException {
        String rest = decode(http.path().substring("/sumdb/".length()));
        String ownName = own.name();
        String upName = upstream.isOff() ? null : upstream.name();
        boolean isOwn = rest.startsWith(ownName + "/");
        boolean isUp = upName != null && rest.startsWith(upName + "/");
        if (isOwn && isUp) { // one name prefixes the other: the longer one is meant
            isOwn = ownName.length() >= upName.length();
            isUp = !isOwn;
        }
        if (!isOwn && !isUp) {
            throw new SumdbException(Kind.NOT_FOUND, "no checksum database here for /sumdb/" + rest
                    + " (served: " + ownName + (upName == null ? "" : ", " + upName) + ")");
        }
        String op = rest.substring((isOwn ? ownName : upName).length() + 1);
        if (op.equals("supported")) {
            return Response.ok("", TEXT).build();
        }
        if (op.equals("latest")) {
            return Response.ok(isOwn ? own.latest() : upstream.proxyLatest(), TEXT).build();
        }
        if (op.startsWith("lookup/")) {
            String modVer = op.substring("lookup/".length());
            if (!MOD_VER.matcher(modVer).matches()) {
                throw new SumdbException(Kind.BAD_REQUEST, "invalid module@version syntax: " + modVer);
            }
            int at = modVer.indexOf('@');
            ModuleVersion mv;
            try {
                mv = ModuleVersion.fromEscaped(modVer.substring(0, at), modVer.substring(at + 1));
            } catch (GoModException e) {
                throw new SumdbException(Kind.BAD_REQUEST, "invalid lookup " + modVer + ": " + e.getMessage());
            }
            return Response.ok(isOwn ? own.lookup(mv) : upstream.proxyLookup(modVer), TEXT).build();
        }
        if (op.startsWith("tile/")) {
            Tile t;
            try {
                t = Tile.parse(op);
            } catch (GoModException e) {
                throw new SumdbException(Kind.BAD_REQUEST, "invalid tile syntax: " + op);
            }
            byte[] data = isOwn ? own.tile(t) : upstream.proxyTile(t);
            return Response.ok(data, t.l() < 0 ? TEXT : "application/octet-stream")
                    .header("Cache-Control", "public, max-age=31536000, immutable")
                    .build();
        }
        throw new SumdbException(Kind.NOT_FOUND, "unknown checksum database operation: " + op);
    }

    /** The path as Go's r.URL.Path has it: percent-decoded ('+' stays '+'). */
    private static String decode(String raw) throws SumdbException {
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SumdbException(Kind.BAD_REQUEST, "malformed percent-encoding in path");
        }
    }
}
