package dev.modproxy.gateway.admin;

import dev.modproxy.gateway.service.ProxyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The JAX-RS side of the gateway's one error type: the admin and catalog resources throw
 * {@link ProxyException} like the GOPROXY route, and answer the same way as its
 * {@code rest.ProxyFailureHandler}: the kind's status, its headers, one line of text/plain, no-store.
 */
@Provider
public class ProxyExceptionMapper implements ExceptionMapper<ProxyException> {

    @Override
    public Response toResponse(ProxyException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type("text/plain; charset=utf-8")
                .header("Cache-Control", "no-store").entity(ProxyException.oneLine(e.getMessage()) + "\n");
        e.headers().forEach(r::header);
        return r.build();
    }
}
