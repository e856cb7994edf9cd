package dev.modproxy.sumdb.rest;

import dev.modproxy.sumdb.SumdbException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** The one place a {@link SumdbException} becomes an HTTP answer: its status and one line of text. */
@Provider
public class SumdbExceptionMapper implements ExceptionMapper<SumdbException> {

    private static final Logger LOG = Logger.getLogger(SumdbExceptionMapper.class);

    @Override
    public Response toResponse(SumdbException e) {
        if (e.kind().status >= 500) {
            LOG.warnf("%s: %s", e.kind(), e.getMessage());
        }
        return Response.status(e.kind().status)
                .type(MediaType.TEXT_PLAIN + "; charset=utf-8")
                .entity(e.getMessage() + "\n")
                .build();
    }
}
