package dev.modproxy.fetcher.rest;

import dev.modproxy.fetcher.FetchException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The one place a {@link FetchException} becomes an HTTP answer: its status, one line, and Retry-After when busy. */
@Provider
public class FetchExceptionMapper implements ExceptionMapper<FetchException> {

    public static final String UPSTREAM_HEADER = "X-Modproxy-Upstream";

    @Override
    public Response toResponse(FetchException e) {
        Response.ResponseBuilder r = Response.status(e.kind().status)
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity(e.getMessage() + "\n");
        if (e.retryAfterSeconds() > 0) {
            r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.upstream() != null) {
            r.header(UPSTREAM_HEADER, e.upstream());
        }
        return r.build();
    }
}
