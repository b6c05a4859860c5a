package io.hookline.contract;

import io.hookline.store.AuditEntry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response bodies of /v1/audit. */
public final class AuditApi {
    private AuditApi() {}

    @Schema(name = "AuditEntry", description = "One change made for the tenant: who did what, and when")
    @RegisterForReflection
    public record Entry(
            @Schema(required = true, example = "aud_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, description = "When the change was made")
            Instant at,

            @Schema(
                    required = true,
                    description = "What was done: created, changed, rotated, revoked (webhook), tested (webhook: a "
                            + "test send), redelivered (delivery), issued (portal link)",
                    example = "rotated")
            String action,

            @Schema(required = true, description = "The kind of object it was done to", example = "webhook")
            String objectType,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The object's id",
                    example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String objectId,

            @Schema(required = true) Actor actor,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "More about the change, never a secret, URL or payload: the names of the "
                            + "fields changed, a grace period, the delivery a test or redelivery queued",
                    example = "graceSeconds=86400")
            String detail) {

        public static Entry of(AuditEntry e) {
            return new Entry(
                    e.id,
                    e.createdAt,
                    e.action,
                    e.objectType,
                    e.objectId,
                    new Actor(e.actorVia, e.actorSubject, e.actorClient),
                    e.detail);
        }
    }

    @Schema(name = "AuditActor", description = "Who made the change")
    @RegisterForReflection
    public record Actor(
            @Schema(
                    required = true,
                    description = "How the actor reached the tenant: its own token (tenant), the platform role and "
                            + "the Hookline-Tenant header (platform), a portal session (portal), or Hookline itself "
                            + "(system)",
                    enumeration = {"tenant", "platform", "portal", "system"},
                    type = SchemaType.STRING,
                    example = "platform")
            String via,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The access token's subject (sub)",
                    example = "5d1f7a52-3b4e-4f6a-9c1d-2e8b7a6c5d4e")
            String subject,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The client the token was issued to (azp)",
                    example = "billing-backend")
            String client) {}

    @Schema(name = "AuditPage")
    @RegisterForReflection
    public record AuditPage(
            @Schema(required = true) List<Entry> data,

            @Schema(
                    description = "Pass as `after` for the next page; absent on the last page",
                    example = "aud_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String next) {}
}
