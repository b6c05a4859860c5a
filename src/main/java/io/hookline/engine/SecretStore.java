package io.hookline.engine;

import io.hookline.crypto.SecretCipher;
import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.DeliveryQueue;
import io.hookline.store.StoredSecret;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The plaintext secrets a batch of deliveries is signed with. Rows are fetched per batch (so a rotation or a revoke
 * takes effect at the next claim), but each row is decrypted once and kept in a bounded in-memory cache: a secret
 * row never changes except for its expiry, which the query filters on. This class is threadsafe.
 */
public class SecretStore {
    static final int CACHE_SIZE = 10_000;
    private static final Logger LOG = Logger.getLogger(SecretStore.class);

    private final DeliveryQueue queue;
    private final SecretCipher cipher;
    private final Map<Long, WebhookSecret> decrypted = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, WebhookSecret> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public SecretStore(DeliveryQueue queue, SecretCipher cipher) {
        this.queue = queue;
        this.cipher = cipher;
    }

    /**
     * The signing keys of a batch. {@code valid}: secrets per webhook id, newest first; a webhook with none (revoked)
     * is absent. {@code unreadable}: webhooks whose secret could not be decrypted (its master key was removed from the
     * ring), with the reason; their deliveries fail without affecting the rest of the batch.
     */
    public record Keys(Map<String, List<WebhookSecret>> valid, Map<String, String> unreadable) {}

    public Keys valid(Collection<String> webhookIds, Instant now) throws SQLException {
        Map<String, List<WebhookSecret>> byWebhook = new HashMap<>();
        Map<String, String> unreadable = new HashMap<>();
        for (StoredSecret row : queue.validSecrets(webhookIds, now)) {
            try {
                byWebhook
                        .computeIfAbsent(row.webhookId, k -> new ArrayList<>(2))
                        .add(decrypt(row));
            } catch (IllegalStateException e) {
                if (unreadable.put(row.webhookId, e.getMessage()) == null) {
                    LOG.errorf("Cannot sign deliveries of webhook %s: %s", row.webhookId, e.getMessage());
                }
            }
        }
        unreadable.keySet().forEach(byWebhook::remove);
        return new Keys(byWebhook, unreadable);
    }

    private WebhookSecret decrypt(StoredSecret row) {
        synchronized (decrypted) {
            WebhookSecret known = decrypted.get(row.id);
            if (known != null) {
                return known;
            }
        }
        WebhookSecret secret = cipher.decrypt(row.sealed(), row.webhookId);
        synchronized (decrypted) {
            decrypted.put(row.id, secret);
        }
        return secret;
    }
}
