package io.hookline.contract;

import io.hookline.store.Source;
import io.hookline.store.SourceRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request and response bodies of /v1/sources and of POST /ingest/{sourceId}. */
public final class SourceApi {
    private SourceApi() {}

    static final String PROVIDER = "How requests are verified: `stripe` (Stripe-Signature), `github` "
            + "(X-Hub-Signature-256), `standard-webhooks` (webhook-id, webhook-timestamp, webhook-signature) or "
            + "`hmac-sha256` (a hex HMAC-SHA256 of the body in the header named by signatureHeader)";
    static final String TYPE_MAPPING = "Provider event type → Hookline event type, overriding or extending the "
            + "built-in mapping (Stripe); at most 100 entries. Keys: 1 to 255 characters; values: 1 to 255 characters "
            + "of a-z, 0-9, '_', '.', '-', not starting with `hookline.`";

    @Schema(name = "CreateSource")
    @RegisterForReflection
    public record Create(
            @Schema(
                    required = true,
                    description = PROVIDER,
                    enumeration = {"stripe", "github", "standard-webhooks", "hmac-sha256"},
                    example = "stripe")
            String provider,

            @Schema(
                    required = true,
                    description = "The provider's signing secret: Stripe's endpoint secret (whsec_…), the GitHub "
                            + "webhook's secret, a Standard Webhooks secret (whsec_ + base64 of 24 to 64 bytes), or "
                            + "the shared key of hmac-sha256; 8 to 512 characters. Stored encrypted, never returned",
                    minLength = 8,
                    maxLength = 512,
                    example = "whsec_9f8Qx2Lr0Tn4YbVw7KcE1uHs3Gd6Pj5a")
            String secret,

            @Schema(maxLength = 512, example = "Stripe, live mode")
            String description,

            @Schema(
                    description = TYPE_MAPPING,
                    example = "{\"invoice.payment_action_required\": \"transaction.updated\"}")
            Map<String, String> typeMapping,

            @Schema(
                    description = "hmac-sha256 only, and required there: the header that carries the hex signature "
                            + "(a `sha256=` prefix is accepted too)",
                    maxLength = 100,
                    pattern = "^[A-Za-z0-9-]+$",
                    example = "X-Signature")
            String signatureHeader) {}

    @Schema(
            name = "UpdateSource",
            description = "Only the fields present are changed; description null clears it, typeMapping replaces the "
                    + "whole mapping (null clears it), secret replaces the secret at once. The provider cannot change.")
    @RegisterForReflection
    public record Update(
            @Schema(minLength = 8, maxLength = 512, example = "whsec_Nw2Yd8Kp4Rt6Vx0Zb3Cf5Hj7Lm9Qs1Ua")
            String secret,

            @Schema(maxLength = 512, nullable = true, example = "Stripe, live mode (rolled secret)")
            String description,

            @Schema(
                    nullable = true,
                    description = TYPE_MAPPING,
                    example = "{\"charge.dispute.created\": \"transaction.updated\"}")
            Map<String, String> typeMapping,

            @Schema(maxLength = 100, pattern = "^[A-Za-z0-9-]+$", example = "X-Monitor-Signature")
            String signatureHeader) {}

    @Schema(name = "Source")
    @RegisterForReflection
    public record View(
            @Schema(required = true, example = "src_01jdx8k2m3n4p5q6r7s8t9v0w1a2b3c4d5e6f7g8h9")
            String id,

            @Schema(
                    required = true,
                    enumeration = {"stripe", "github", "standard-webhooks", "hmac-sha256"},
                    example = "stripe")
            String provider,

            @Schema(
                    required = true,
                    format = "uri",
                    description = "Where the provider sends its webhooks (no token needed; the signature is checked)",
                    example = "https://hookline.example.com/ingest/src_01jdx8k2m3n4p5q6r7s8t9v0w1a2b3c4d5e6f7g8h9")
            String ingestUrl,

            @Schema(required = true, nullable = true, example = "Stripe, live mode")
            String description,

            @Schema(
                    required = true,
                    description = "The source's own mapping (the built-in Stripe mapping applies beside it)",
                    example = "{\"invoice.payment_action_required\": \"transaction.updated\"}")
            Map<String, String> typeMapping,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The signature header of hmac-sha256; null for the other providers",
                    example = "X-Signature")
            String signatureHeader,

            @Schema(
                    required = true,
                    nullable = true,
                    description =
                            "When this source last refused a request (noted at most once a minute); null if " + "never")
            Instant lastRejectedAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Why it refused it; null if never",
                    enumeration = {"missing_signature", "bad_signature", "stale_timestamp", "too_large", "malformed"},
                    example = "bad_signature")
            String lastRejection,

            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {

        public static View of(Source s, String ingestBase) {
            return new View(
                    s.id,
                    s.provider,
                    ingestBase + s.id,
                    s.description,
                    new TreeMap<>(s.typeMapping == null ? Map.of() : s.typeMapping),
                    s.signatureHeader,
                    s.lastRejectedAt,
                    s.lastRejection,
                    s.createdAt,
                    s.updatedAt);
        }
    }

    @Schema(name = "SourcePage")
    @RegisterForReflection
    public record SourcePage(
            @Schema(required = true) List<View> data,

            @Schema(
                    description = "Pass as `after` for the next page; absent on the last page",
                    example = "src_01jdx8k2m3n4p5q6r7s8t9v0w1a2b3c4d5e6f7g8h9")
            String next) {}

    @Schema(name = "SourceRequest", description = "One verified request in a source's ingest log")
    @RegisterForReflection
    public record RequestView(
            @Schema(required = true, example = "req_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true) Instant receivedAt,

            @Schema(
                    required = true,
                    description = "Always true: a request that fails verification is refused and not stored (see "
                            + "the source's lastRejection and the hookline_ingest_rejected_total metric)",
                    example = "true")
            boolean verified,

            @Schema(required = true, example = "evt_1PqRsTuVwXyZ0123")
            String providerEventId,

            @Schema(required = true, example = "customer.subscription.created")
            String providerEventType,

            @Schema(
                    required = true,
                    description = "pending: stored, not yet an event; published: became eventId; failed: could not "
                            + "become an event (see error)",
                    enumeration = {"pending", "published", "failed"},
                    example = "published")
            String status,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The Hookline event it became",
                    example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String eventId,

            @Schema(required = true, nullable = true, example = "subscription.created")
            String eventType,

            @Schema(required = true, nullable = true, description = "When it became an event")
            Instant publishedAt,

            @Schema(
                    required = true,
                    description = "Retries of the same provider event answered since, and not published again",
                    example = "0")
            int duplicates,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Why it could not become an event; null otherwise",
                    example = "the event would be 262400 bytes; at most 262144 bytes are accepted")
            String error) {

        public static RequestView of(SourceRequest r) {
            return new RequestView(
                    r.id,
                    r.receivedAt,
                    true,
                    r.providerEventId,
                    r.providerEventType,
                    r.status,
                    r.eventId,
                    r.eventType,
                    r.publishedAt,
                    r.duplicates,
                    r.error);
        }
    }

    @Schema(name = "SourceRequestPage")
    @RegisterForReflection
    public record RequestPage(
            @Schema(required = true) List<RequestView> data,

            @Schema(
                    description = "Pass as `after` for the next page; absent on the last page",
                    example = "req_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String next) {}

    @Schema(name = "IngestAccepted", description = "The request verified and is stored; it becomes an event shortly")
    @RegisterForReflection
    public record Accepted(
            @Schema(
                    required = true,
                    description = "Its entry in the ingest log",
                    example = "req_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String requestId,

            @Schema(
                    required = true,
                    description = "true when this provider event was received before (nothing new is published)",
                    example = "false")
            boolean duplicate) {}
}
