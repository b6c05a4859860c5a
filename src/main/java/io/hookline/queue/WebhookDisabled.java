package io.hookline.queue;

/**
 * A CDI event: the engine has just disabled a webhook (it answered 410 Gone, or failed for too long). Fired by
 * {@link DeliveryQueue#disableWebhook} after the change committed; the services observe it to tell the tenant
 * ({@code hookline.webhook.disabled}), so the engine never references them.
 */
public record WebhookDisabled(String webhookId, String reason) {}
