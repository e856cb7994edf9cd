package dev.modproxy.sumdb.rest;

import dev.modproxy.sumdb.service.OwnDatabase;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** The own database's verifier key, the value for {@code GOSUMDB}. The signer key is never served. */
@Path("/api/v1/sumdb/verifier-key")
public class VerifierKeyResource {

    private final OwnDatabase own;

    public VerifierKeyResource(OwnDatabase own) {
        this.own = own;
    }

    @GET
    @Produces("text/plain; charset=utf-8")
    public String key() {
        return own.verifierKey() + "\n";
    }
}
