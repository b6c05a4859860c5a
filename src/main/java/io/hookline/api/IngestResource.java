package io.hookline.api;

import io.hookline.contract.Problem;
import io.hookline.contract.SourceApi;
import io.hookline.ingest.GithubSignature;
import io.hookline.ingest.StandardWebhooksSignature;
import io.hookline.ingest.StripeSignature;
import io.hookline.service.IngestService;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /ingest/{sourceId}}: where providers post their webhooks. Public: no bearer token is asked for (the
 * provider cannot send one) and none is looked at; the provider's signature is the authentication. The body is read
 * as bytes and verified as received, never re-rendered first.
 */
@Path("/ingest")
@PermitAll
@Tag(name = "ingest")
public class IngestResource {

    @Inject
    IngestService ingest;

    @POST
    @Path("/{sourceId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @SecurityRequirementsSet({})
    @Operation(
            operationId = "ingest",
            summary = "Receive a provider's webhook",
            description = "Called by the provider, not by your backend: no bearer token. The request is verified by "
                    + "the source's provider rules (signature over the raw body, timestamp within "
                    + "hookline.ingest.tolerance, 300 s), stored, and answered at once; it becomes an event of the "
                    + "source's tenant right after. A retry of a provider event already received answers 200 and "
                    + "publishes nothing new. A refused request stores nothing.")
    @Parameters({
        @Parameter(
                name = StripeSignature.HEADER,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description = "stripe: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"{t}.{body}\">",
                example = "t=1733000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"),
        @Parameter(
                name = GithubSignature.HEADER,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description = "github: sha256=<hex HMAC-SHA256 of the body>",
                example = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
        @Parameter(
                name = GithubSignature.DELIVERY,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description = "github: the delivery id, which de-duplicates retries",
                example = "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
        @Parameter(
                name = GithubSignature.EVENT,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description = "github: the event type",
                example = "push"),
        @Parameter(
                name = StandardWebhooksSignature.ID,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description = "standard-webhooks: the message id, which de-duplicates retries",
                example = "msg_2b8LtQ5ZRq0f3Yw9"),
        @Parameter(
                name = StandardWebhooksSignature.TIMESTAMP,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description = "standard-webhooks: unix seconds",
                example = "1733000000"),
        @Parameter(
                name = StandardWebhooksSignature.SIGNATURE,
                in = ParameterIn.HEADER,
                schema = @Schema(type = SchemaType.STRING),
                description =
                        "standard-webhooks: space-separated v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">",
                example = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    })
    @RequestBody(
            required = true,
            description = "The provider's JSON body, byte for byte as signed",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema =
                                    @Schema(
                                            description = "Any JSON value the provider sends",
                                            example = "{\"id\": \"evt_1PqRsTuVwXyZ0123\", \"object\": \"event\", "
                                                    + "\"type\": \"customer.subscription.created\", \"data\": "
                                                    + "{\"object\": {\"id\": \"sub_1PqRs\", \"object\": "
                                                    + "\"subscription\", \"status\": \"active\", "
                                                    + "\"customer\": \"cus_Q1w2E3\", \"currency\": \"eur\"}}}")))
    @APIResponse(
            responseCode = "202",
            description = "Verified and stored; it becomes an event shortly",
            content = @Content(schema = @Schema(implementation = SourceApi.Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A retry of a provider event already received: nothing new is published",
            content = @Content(schema = @Schema(implementation = SourceApi.Accepted.class)))
    @APIResponse(
            responseCode = "400",
            description = "Not verified (no signature, a wrong one, a timestamp outside the tolerance), or signed but "
                    + "not an event (not JSON, no provider event id or type); nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(
            responseCode = "404",
            description = "No such source (or it was deleted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(
            responseCode = "413",
            description = "The body is larger than an event may be",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(
            responseCode = "503",
            description = "The database cannot be reached, or the source's secret cannot be decrypted; the "
                    + "provider retries",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    public Response ingest(
            @Parameter(description = "The source id, from its ingestUrl", example = SourceResource.ID_EXAMPLE)
                    @PathParam("sourceId")
                    String sourceId,
            @Context HttpHeaders headers,
            byte[] body) {
        SourceApi.Accepted accepted =
                ingest.receive(sourceId, headers::getHeaderString, body == null ? new byte[0] : body);
        return Response.status(accepted.duplicate() ? 200 : 202)
                .entity(accepted)
                .build();
    }
}
