package dev.modproxy.audit.rest;

import dev.modproxy.audit.service.AuditException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** The one place an {@link AuditException} becomes an HTTP answer: its kind's status, a one-line text/plain reason. */
@Provider
public class AuditExceptionMapper implements ExceptionMapper<AuditException> {

    private static final Logger LOG = Logger.getLogger(AuditExceptionMapper.class);

    @Override
    public Response toResponse(AuditException e) {
        if (e.kind() != AuditException.Kind.BAD_REQUEST) {
            LOG.warn(e.getMessage(), e.getCause());
        }
        return Response.status(e.kind().status).type("text/plain; charset=utf-8").entity(e.getMessage() + "\n").build();
    }
}
