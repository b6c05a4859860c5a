package io.hookline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose declared Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a 413
 * problem before its body is read (the HTTP layer's own 413, which still guards chunked bodies, has no body).
 */
@ApplicationScoped
public class BodyLimit {
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router) throws JsonProcessingException {
        long max = maxBodySize.asLongValue();
        String problem = json.writeValueAsString(new Problem(Problem.TYPE_BASE + "payload-too-large",
                "Payload too large", 413, "the request body is larger than " + max + " bytes", null));
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && tooLong(length, max)) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(problem);
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLong(String header, long max) {
        try {
            return Long.parseLong(header.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
