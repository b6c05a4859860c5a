package io.hookline.sources;

import com.standardwebhooks.Webhook;

/** Signs as a Standard Webhooks sender does, with the reference Java library ({@code com.standardwebhooks}). */
final class StandardWebhooksSigner {
    private StandardWebhooksSigner() {}

    static String sign(String secret, String msgId, long timestamp, String body) throws Exception {
        return new Webhook(secret).sign(msgId, timestamp, body);
    }
}
