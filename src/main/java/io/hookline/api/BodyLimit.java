package io.hookline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.Problem;
import io.hookline.ingest.Reason;
import io.hookline.service.IngestMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
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
 * Answers a request body larger than {@code quarkus.http.limits.max-body-size} (for {@code POST /v1/events/batch}:
 * {@code hookline.events.batch-body-limit}) with a 413 problem and no log line.
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

    /** The one operation with a limit of its own, {@code hookline.events.batch-body-limit}. */
    static final String BATCH_PATH = "/v1/events/batch";

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    @Inject
    HooklineConfig config;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    @Inject
    IngestMetrics ingestMetrics;

    void install(@Observes Router router) throws JsonProcessingException {
        long max = maxBodySize.asLongValue();
        String problem = problem("the request body is larger than " + max + " bytes");
        long batchMax = config.events().batchBodyLimit().asLongValue();
        String batchProblem = problem("the request body is larger than " + batchMax
                + " bytes (hookline.events.batch-body-limit); send fewer events per batch");
        BodyHandler batchBody = BodyHandler.create(false).setBodyLimit(batchMax);
        // the batch's own limit, larger or smaller than the others': its body is always read here (Quarkus REST then
        // takes it from memory and does not apply quarkus.http.limits.max-body-size to it)
        router.post(BATCH_PATH)
                .order(Integer.MIN_VALUE + 1)
                .handler(ctx -> {
                    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null && tooLong(length, batchMax)) {
                        refuse(ctx, batchProblem);
                    } else {
                        batchBody.handle(ctx);
                    }
                })
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                        refuse(ctx, batchProblem);
                    } else {
                        ctx.next();
                    }
                });
        // Quarkus's own check of Content-Length against quarkus.http.limits.max-body-size runs at order -2 (a bare 413,
        // no body); the batch's body has been read and measured by then, so its length is no longer the header's
        // business: without the header that check lets it through
        router.post(BATCH_PATH).order(-3).handler(ctx -> {
            ctx.request().headers().remove(HttpHeaders.CONTENT_LENGTH);
            ctx.next();
        });
        BodyHandler chunked = BodyHandler.create(false).setBodyLimit(max);
        router.route()
                .order(Integer.MIN_VALUE + 2)
                .handler(ctx -> {
                    if (ctx.request().method() == HttpMethod.POST
                            && BATCH_PATH.equals(ctx.request().path())) {
                        ctx.next(); // read above, under its own limit
                        return;
                    }
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

    private String problem(String detail) throws JsonProcessingException {
        return json.writeValueAsString(
                new Problem(Problem.TYPE_BASE + "payload-too-large", "Payload too large", 413, detail, null));
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
