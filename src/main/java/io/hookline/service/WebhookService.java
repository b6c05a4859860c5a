package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.config.DeliveryLimits;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.Page;
import io.hookline.contract.ProblemException;
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
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Webhook management: every method is one transaction and sees only the given tenant's webhooks. */
@ApplicationScoped
@Transactional
public class WebhookService {
    static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;

    @Inject
    HooklineConfig config;

    @Inject
    SecretCipher cipher;

    @Inject
    Clock clock;

    @Inject
    AgroalDataSource dataSource;

    public WebhookApi.WithSecret create(String tenant, WebhookApi.Create request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with at least a url is required");
        }
        Validation v = new Validation();
        WebhookRules.checkUrl(request.url(), config.delivery().allowPrivateNetworks(), v);
        WebhookRules.checkDescription(request.description(), v);
        String[] types = WebhookRules.checkEventTypes(request.eventTypes(), v);
        Integer maxConcurrency = WebhookRules.checkMaxConcurrency(request.maxConcurrency(), ceiling(), v);
        v.throwIfInvalid();

        Instant now = clock.instant();
        Webhook w = new Webhook();
        w.id = Ids.webhook();
        w.tenant = tenant;
        w.url = request.url();
        w.description = request.description();
        w.eventTypes = types;
        w.maxConcurrency = maxConcurrency;
        w.enabled = true;
        w.createdAt = now;
        w.updatedAt = now;
        w.persist();
        WebhookSecret secret = WebhookSecret.generate();
        StoredSecret.of(w.id, cipher.encrypt(secret, w.id), now).persist();
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
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        boolean reEnable = false;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "url" -> {
                    if (!value.isTextual()) {
                        v.fail("url", "must be a string");
                    } else {
                        WebhookRules.checkUrl(value.asText(), config.delivery().allowPrivateNetworks(), v);
                        w.url = value.asText();
                    }
                }
                case "description" -> {
                    if (value.isNull()) {
                        w.description = null;
                    } else if (!value.isTextual()) {
                        v.fail("description", "must be a string or null");
                    } else {
                        WebhookRules.checkDescription(value.asText(), v);
                        w.description = value.asText();
                    }
                }
                case "eventTypes" -> w.eventTypes = WebhookRules.checkEventTypes(value, v);
                case "maxConcurrency" -> w.maxConcurrency = WebhookRules.checkMaxConcurrency(value, ceiling(), v);
                case "enabled" -> {
                    if (!value.isBoolean()) {
                        v.fail("enabled", "must be true or false");
                    } else if (value.asBoolean() && !w.enabled) {
                        reEnable = true;
                    } else if (!value.asBoolean() && w.enabled) {
                        w.enabled = false;
                        w.disabledReason = "disabled by API";
                    }
                }
                default ->
                    v.fail(
                            field.getKey(),
                            "is not a field that can be changed (url, description, eventTypes, enabled, "
                                    + "maxConcurrency)");
            }
        }
        // the exception rolls the transaction back: nothing of an invalid patch is written
        v.throwIfInvalid();
        if (reEnable) {
            w.enabled = true;
            w.disabledReason = null;
            w.consecutiveFailures = 0;
            w.failingSince = null;
        }
        w.updatedAt = clock.instant();
        return WebhookApi.View.of(w);
    }

    public WebhookApi.WithSecret rotate(String tenant, String id, WebhookApi.Rotate request) {
        long grace = request == null || request.graceSeconds() == null ? 0 : request.graceSeconds();
        if (grace < 0 || grace > MAX_GRACE_SECONDS) {
            throw ProblemException.invalid("graceSeconds", "must be between 0 and " + MAX_GRACE_SECONDS + " (30 days)");
        }
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
    }

    private int ceiling() {
        return DeliveryLimits.ceiling(config.delivery());
    }

    private Webhook live(String tenant, String id) {
        return Webhook.findLive(tenant, id).orElseThrow(() -> ProblemException.notFound("webhook", id));
    }
}
