package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.config.DeliveryLimits;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.Page;
import io.hookline.contract.ProblemException;
import io.hookline.contract.Text;
import io.hookline.contract.Validation;
import io.hookline.contract.WebhookApi;
import io.hookline.crypto.SecretCipher;
import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.DeliveryQueue;
import io.hookline.store.StoredSecret;
import io.hookline.store.Webhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.StringJoiner;

/**
 * Webhook management: every method is one transaction and sees only the given tenant's webhooks. The request records
 * of create and rotate arrive validated (their constraints are checked by the resource, {@code @Valid}); a PATCH is
 * read and validated here, after the webhook is found.
 */
@ApplicationScoped
@Transactional
public class WebhookService {
    @Inject
    Validator validator;

    @Inject
    SecretCipher cipher;

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog audit;

    @Inject
    HooklineConfig config;

    @Inject
    EventService events;

    @Inject
    ObjectMapper json;

    public WebhookApi.WithSecret create(String tenant, WebhookApi.Create request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with at least a url is required");
        }
        // checked here too, not only by @Valid on the resource: the portal and any other caller get the same rules
        new Validation().add(validator.validate(request)).throwIfInvalid();
        Integer maxConcurrency = withinCeiling(request.maxConcurrency());
        Instant now = clock.instant();
        Webhook w = new Webhook();
        w.id = Ids.webhook();
        w.tenant = tenant;
        w.url = request.url();
        w.description = request.description();
        w.eventTypes = distinct(request.eventTypes());
        w.maxConcurrency = maxConcurrency;
        w.enabled = true;
        w.createdAt = now;
        w.updatedAt = now;
        w.persist();
        WebhookSecret secret = WebhookSecret.generate();
        StoredSecret.of(w.id, cipher.encrypt(secret, w.id), now).persist();
        audit.record(tenant, AuditLog.CREATED, AuditLog.WEBHOOK, w.id, null);
        return WebhookApi.WithSecret.of(w, secret.reveal());
    }

    public Page<WebhookApi.View> list(String tenant, int limit, String after) {
        List<Webhook> rows = after == null
                ? Webhook.find("tenant = ?1 and revokedAt is null order by id desc", tenant)
                        .range(0, limit)
                        .list()
                : Webhook.find("tenant = ?1 and revokedAt is null and id < ?2 order by id desc", tenant, after)
                        .range(0, limit)
                        .list();
        // range is inclusive: limit + 1 rows, the last one only says that there is a next page
        return Page.of(rows, limit, WebhookApi.View::of, w -> w.id);
    }

    public WebhookApi.View get(String tenant, String id) {
        return WebhookApi.View.of(live(tenant, id));
    }

    public WebhookApi.View update(String tenant, String id, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object with the fields to change");
        }
        Webhook w = live(tenant, id);
        Validation v = new Validation();
        WebhookApi.Update update = WebhookApi.Update.read(patch, v);
        v.add(validator.validate(update));
        if (update.maxConcurrency() != null && update.maxConcurrency() > ceiling()) {
            v.fail("maxConcurrency", WebhookApi.MAX_CONCURRENCY_RANGE + " (" + ceiling() + ")");
        }
        // the audit names the fields, never their values (a URL may carry a token); enabled is just a switch
        StringJoiner changed = new StringJoiner(", ");
        patch.fieldNames()
                .forEachRemaining(name ->
                        changed.add(name.equals("enabled") ? "enabled=" + patch.get(name) : Text.clip(name, 40)));
        // the exception rolls the transaction back: nothing of an invalid patch is written
        v.throwIfInvalid();
        if (update.url() != null) {
            w.url = update.url();
        }
        if (patch.has("description")) {
            w.description = update.description();
        }
        if (update.eventTypes() != null) {
            w.eventTypes = distinct(update.eventTypes());
        }
        if (patch.has("maxConcurrency")) {
            w.maxConcurrency = update.maxConcurrency();
        }
        if (Boolean.TRUE.equals(update.enabled()) && !w.enabled) {
            w.enabled = true;
            w.disabledReason = null;
            w.consecutiveFailures = 0;
            w.failingSince = null;
        } else if (Boolean.FALSE.equals(update.enabled()) && w.enabled) {
            w.enabled = false;
            w.disabledReason = "disabled by API";
        }
        w.updatedAt = clock.instant();
        audit.record(tenant, AuditLog.CHANGED, AuditLog.WEBHOOK, w.id, changed.toString());
        return WebhookApi.View.of(w);
    }

    public WebhookApi.WithSecret rotate(String tenant, String id, WebhookApi.Rotate request) {
        if (request != null) {
            new Validation().add(validator.validate(request)).throwIfInvalid();
        }
        long grace = request == null || request.graceSeconds() == null ? 0 : request.graceSeconds();
        Webhook w = live(tenant, id);
        Instant now = clock.instant();
        Instant oldExpiry = now.plusSeconds(grace);
        // the current secret gets its expiry; older ones still in grace keep theirs, but never outlive the new grace
        StoredSecret.update(
                "expiresAt = ?1 where webhookId = ?2 and (expiresAt is null or expiresAt > ?1)", oldExpiry, w.id);
        StoredSecret.flush();
        WebhookSecret secret = WebhookSecret.generate();
        StoredSecret.of(w.id, cipher.encrypt(secret, w.id), now).persist();
        w.updatedAt = now;
        audit.record(tenant, AuditLog.ROTATED, AuditLog.WEBHOOK, w.id, "graceSeconds=" + grace);
        events.publishOperational(
                tenant,
                EventService.WEBHOOK_SECRET_ROTATED,
                json.createObjectNode().put("webhook_id", w.id).put("previous_secret_expires_at", oldExpiry.toString()),
                w.id);
        return WebhookApi.WithSecret.of(w, secret.reveal());
    }

    /**
     * Marks the webhook revoked, destroys its secrets and cancels its pending deliveries, in one transaction. Claims
     * already in flight are waited for by {@link io.hookline.service.Revocation}.
     */
    public void revoke(String tenant, String id) {
        Webhook w = live(tenant, id);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            DeliveryQueue.cancelPendingForWebhook(c, w.id, "webhook revoked", now);
        } catch (SQLException e) {
            throw new IllegalStateException("could not cancel the deliveries of webhook " + w.id, e);
        }
        w.revokedAt = now;
        w.updatedAt = now;
        w.enabled = false;
        w.disabledReason = "revoked";
        StoredSecret.delete("webhookId", w.id);
        audit.record(tenant, AuditLog.REVOKED, AuditLog.WEBHOOK, w.id, null);
        events.publishOperational(
                tenant, EventService.WEBHOOK_REVOKED, json.createObjectNode().put("webhook_id", w.id), w.id);
    }

    /** The filter without duplicates, in the given order; none is all types. */
    private static String[] distinct(List<String> eventTypes) {
        return eventTypes == null ? new String[0] : new LinkedHashSet<>(eventTypes).toArray(String[]::new);
    }

    private int ceiling() {
        return DeliveryLimits.ceiling(config.delivery());
    }

    /** A webhook's own cap, beyond the minimum its constraint checks: at most the replica's ceiling (a 422 otherwise). */
    private Integer withinCeiling(Integer maxConcurrency) {
        if (maxConcurrency != null && maxConcurrency > ceiling()) {
            new Validation()
                    .fail("maxConcurrency", WebhookApi.MAX_CONCURRENCY_RANGE + " (" + ceiling() + ")")
                    .throwIfInvalid();
        }
        return maxConcurrency;
    }

    private Webhook live(String tenant, String id) {
        return Webhook.findLive(tenant, id).orElseThrow(() -> ProblemException.notFound("webhook", id));
    }
}
