package io.hookline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.contract.Problem;
import io.hookline.ingest.Reason;
import io.hookline.service.IngestMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request body larger than {@code quarkus.http.limits.max-body-size} with a 413 problem and no log line.
 * <ul>
 * <li>A declared {@code Content-Length} over the limit is refused before anything is read.</li>
 * <li>A chunked body (no length) is read here, up to the limit, with Vert.x's {@link BodyHandler}; Quarkus REST then
 * takes the body from memory. Left to Quarkus REST, its streaming reader found the limit mid-parse, answered a bare
 * 413 itself and threw "Request too large", which our last-resort mapper logged with a stack trace before a second
 * one ("Response has already been written"): two ERROR entries, about 110 lines, per request.</li>
 * </ul>
 * After a 413 the rest of the body is read and thrown away for at most {@link #LINGER_MS}, then the connection is
 * closed: closing at once, with unread bytes in the socket, makes the kernel send a reset that can destroy the answer
 * before the client reads it (nginx's "lingering close" does the same).
 */
@ApplicationScoped
public class BodyLimit {
    /** Long enough for a client to finish sending a few MiB on any network; short enough to bound an endless body. */
    static final long LINGER_MS = 2000;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    @Inject
    IngestMetrics ingestMetrics;

    void install(@Observes Router router) throws JsonProcessingException {
        long max = maxBodySize.asLongValue();
        String problem = json.writeValueAsString(new Problem(
                Problem.TYPE_BASE + "payload-too-large",
                "Payload too large",
                413,
                "the request body is larger than " + max + " bytes",
                null));
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(max);
        router.route()
                .order(Integer.MIN_VALUE + 1)
                .handler(ctx -> {
                    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        if (tooLong(length, max)) {
                            refuse(ctx, problem);
                        } else {
                            ctx.next();
                        }
                    } else if (ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                        chunked.handle(ctx);
                    } else {
                        ctx.next();
                    }
                })
                .failureHandler(ctx -> {
                    // the BodyHandler fails the request with 413 once the body passes the limit
                    if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                        refuse(ctx, problem);
                    } else {
                        ctx.next();
                    }
                });
    }

    private void refuse(RoutingContext ctx, String problem) {
        HttpServerRequest request = ctx.request();
        if (request.path().startsWith("/ingest/")) {
            ingestMetrics.rejected(Reason.TOO_LARGE);
        }
        HttpConnection connection = request.connection();
        // HTTP/2 ends just this stream; closing would cut the client's other requests on the connection
        if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
            long timer = vertx.setTimer(LINGER_MS, id -> connection.close());
            request.handler(ignored -> {}).endHandler(end -> {
                vertx.cancelTimer(timer);
                connection.close();
            });
            request.resume();
        }
        ctx.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(problem);
    }

    private static boolean tooLong(String header, long max) {
        try {
            return Long.parseLong(header.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
