package io.hookline.api;

import io.hookline.config.HooklineConfig;
import io.hookline.contract.ProblemException;
import io.hookline.engine.OnDemandDrain;
import io.hookline.retention.Retention;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator endpoints. Not tenant-scoped: they need the admin role. */
@Path("/v1/admin")
@Tag(name = "admin", description = "Operating Hookline (admin role)")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    @Inject
    OnDemandDrain drains;

    @Inject
    HooklineConfig config;

    @Inject
    Retention retention;

    @Inject
    Clock clock;

    @RegisterForReflection
    @Schema(name = "RetentionResult")
    public record RetentionResult(
            @Schema(
                    required = true,
                    description = "false when another replica was running retention at the same time",
                    example = "true")
            boolean ran,

            @Schema(
                    required = true,
                    description = "Succeeded deliveries deleted (with their attempts)",
                    example = "1200")
            long succeeded,

            @Schema(required = true, description = "Failed and cancelled deliveries deleted", example = "3")
            long failed,

            @Schema(
                    required = true,
                    description = "Events deleted that no delivery referred to any more",
                    example = "1150")
            long events,

            @Schema(
                    required = true,
                    description = "true when hookline.retention.time-budget ended the run; call again",
                    example = "false")
            boolean budgetSpent) {}

    @POST
    @Path("/retention")
    @RolesAllowed("${hookline.dispatcher.admin-role:hookline-admin}")
    @Operation(
            operationId = "runRetention",
            summary = "Delete old finished deliveries and orphaned events now",
            description = "What the hourly retention job does, on demand: for scale-to-zero deployments, whose "
                    + "replicas may never live for an hour. Ages and batch sizes come from hookline.retention.*; it "
                    + "runs even where hookline.retention.enabled=false, and never touches pending or in-flight "
                    + "deliveries.")
    @APIResponse(
            responseCode = "200",
            description = "What was deleted",
            content = @Content(schema = @Schema(implementation = RetentionResult.class)))
    public RetentionResult runRetention() throws SQLException {
        Retention.Purged p = retention.purge(clock.instant());
        return new RetentionResult(p.ran(), p.succeeded(), p.failed(), p.events(), p.budgetSpent());
    }

    @Schema(name = "DispatchResult")
    @RegisterForReflection
    public record DispatchResult(
            @Schema(required = true, description = "Delivery outcomes recorded during the call", example = "420")
            long recorded,

            @Schema(
                    required = true,
                    description = "true when nothing was due any more when the call returned",
                    example = "true")
            boolean queueEmpty,

            @Schema(required = true, example = "1830") long durationMs) {}

    @POST
    @Path("/dispatch")
    @RolesAllowed("${hookline.dispatcher.admin-role:hookline-admin}")
    @Operation(
            operationId = "dispatch",
            summary = "Send due deliveries now, for up to `seconds`",
            description = "For hookline.dispatcher.mode=on-demand (scale to zero): a cron trigger calls this; it sends "
                    + "what is due until nothing is or the time is up, and returns when every result is recorded.")
    @APIResponse(
            responseCode = "200",
            description = "What was done",
            content = @Content(schema = @Schema(implementation = DispatchResult.class)))
    @APIResponse(
            responseCode = "409",
            description = "The dispatcher is disabled here, or a dispatch is already running",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public DispatchResult dispatch(
            @Parameter(
                            description =
                                    "Longest time to spend, in seconds (default 60, at most hookline.dispatcher.max-drain)",
                            example = "60",
                            schema = @Schema(type = SchemaType.INTEGER, minimum = "1"))
                    @QueryParam("seconds")
                    String seconds) {
        Duration max = Duration.ofSeconds(60);
        if (seconds != null) {
            try {
                max = Duration.ofSeconds(Long.parseLong(seconds));
            } catch (NumberFormatException e) {
                throw ProblemException.invalid("seconds", "must be an integer");
            }
        }
        if (max.isNegative()
                || max.isZero()
                || max.compareTo(config.dispatcher().maxDrain()) > 0) {
            throw ProblemException.invalid(
                    "seconds",
                    "must be between 1 and " + config.dispatcher().maxDrain().toSeconds());
        }
        OnDemandDrain.Result drain;
        try {
            drain = drains.drain(max);
        } catch (OnDemandDrain.Refused e) {
            throw ProblemException.conflict(e.getMessage());
        }
        return new DispatchResult(drain.recorded(), drain.queueEmpty(), drain.durationMs());
    }
}
