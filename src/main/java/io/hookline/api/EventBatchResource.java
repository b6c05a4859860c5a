package io.hookline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.auth.Tenant;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.BatchApi;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishBatch;
import io.hookline.contract.PublishRequest;
import io.hookline.contract.Validation;
import io.hookline.ratelimit.RateLimiter;
import io.hookline.ratelimit.TenantBuckets;
import io.hookline.service.EventBatches;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/events/batch}: up to 1,000 events in one request and one transaction (see {@link EventBatches}).
 * The answer is a 200 whenever the request itself could be read, with one result per event in the order sent; a
 * request-level fault (not JSON, over the body limit, no tenant, too many events, over the rate limit, an atomic batch
 * with a bad event) is one 4xx problem, as for every other operation. The body limit is every request's
 * ({@code quarkus.http.limits.max-body-size}, 1 MiB by default, see {@link BodyLimit}): a limit of its own was tried
 * and left out, because Quarkus checks {@code Content-Length} against that key before any route of ours can read the
 * body, and a body read ahead of Quarkus REST cannot be handed to it over HTTP/2 ("Request has already been read").
 */
@Path("/v1/events/batch")
@Authenticated
@Tag(name = "events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EventBatchResource {
    static final String REQUEST_EXAMPLE = """
            {"events": [
              {"type": "invoice.paid", "data": {"invoiceId": "in_1", "amount": 4200}, "id": "in_1-paid"},
              {"type": "Invoice Paid", "data": {}}
            ], "atomic": false}""";
    static final String RESPONSE_EXAMPLE = """
            {"results": [
              {"index": 0, "status": 202, "id": "evt_01jdx8k2m3n4p5q6r7s8t9v0w1", "type": "invoice.paid",
               "occurredAt": "2026-11-30T10:15:30.123Z", "deliveries": 2, "replayed": false},
              {"index": 1, "status": 422, "problem": {"type": "https://hookline.dev/problems/validation",
               "title": "Invalid request", "status": 422,
               "detail": "type: must be 1 to 255 characters of a-z, 0-9, '_', '.', '-'",
               "errors": [{"field": "type", "message": "must be 1 to 255 characters of a-z, 0-9, '_', '.', '-'"}]}}
            ]}""";

    @Inject
    EventBatches batches;

    @Inject
    Tenant tenant;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @Inject
    HooklineConfig config;

    @Inject
    RateLimiter limiter;

    @POST
    @Operation(
            operationId = "publishEventBatch",
            summary = "Publish up to 1,000 events at once",
            description = "Each event is exactly the body of POST /v1/events and is judged as that operation judges "
                    + "it; all the good ones are stored with their deliveries in one transaction. The answer lists one "
                    + "result per event in the order sent: 202 with the event (replayed: true when its id was "
                    + "published before, in an earlier request or earlier in this batch; nothing more is queued), or "
                    + "the event's own problem. One bad event does not sink the others unless `atomic` is true: then "
                    + "the whole request is a 422 naming every bad event (`events[i].field`) and nothing is stored. "
                    + "Each event counts as one request against the tenant's rate limit. A database failure stores "
                    + "nothing of the batch (503).")
    @APIResponse(
            responseCode = "200",
            description = "The batch was read: one result per event, in the order sent, each 202 or a 4xx of its own",
            content =
                    @Content(
                            schema = @Schema(implementation = BatchApi.Published.class),
                            examples = @ExampleObject(name = "mixed", value = RESPONSE_EXAMPLE)))
    @RequestBody(
            required = true,
            content =
                    @Content(
                            schema = @Schema(implementation = BatchApi.Publish.class),
                            examples = @ExampleObject(name = "mixed", value = REQUEST_EXAMPLE)))
    public Response publishEventBatch(byte[] body) {
        String id = tenant.id();
        // read here, not bound to a record: each event's data must reach receivers as the exact bytes sent
        PublishBatch batch =
                PublishBatch.parse(json.getFactory(), body, config.events().batchMaxItems());
        TenantBuckets.Take take =
                limiter.enabled() ? limiter.takeRestOfBatch(id, batch.items().size()) : null;
        if (take != null && !take.allowed()) {
            throw ProblemException.tooManyRequests(
                    "rate limit of " + take.limit() + " requests exceeded: a batch counts one per event ("
                            + batch.items().size() + "); retry in " + take.retryAfterSeconds() + " s",
                    take.retryAfterSeconds());
        }
        List<BatchApi.Result> results = batches.publish(id, checked(batch));
        Response.ResponseBuilder answer = Response.ok(new BatchApi.Published(results));
        if (take != null) {
            answer.header("X-RateLimit-Limit", Long.toString(take.limit()))
                    .header("X-RateLimit-Remaining", Long.toString(take.remaining()))
                    .header("X-RateLimit-Reset", Long.toString(take.resetSeconds()));
        }
        return answer.build();
    }

    /** The items with the constraints of a single publish's fields applied; a broken one carries its 422. */
    private PublishBatch checked(PublishBatch batch) {
        List<PublishBatch.Item> items = new ArrayList<>(batch.items().size());
        for (PublishBatch.Item item : batch.items()) {
            PublishRequest request = item.request();
            if (request == null) {
                items.add(item);
                continue;
            }
            Validation v = new Validation().add(validator.validate(request));
            items.add(v.ok() ? item : new PublishBatch.Item(item.index(), null, v.problem()));
        }
        return new PublishBatch(items, batch.atomic());
    }
}
