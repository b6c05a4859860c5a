package io.hookline.crypto;

import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** Builds the key ring at start-up, so a missing or malformed master key stops the service before it serves. */
@ApplicationScoped
public class CryptoProducer {
    private static final Logger LOG = Logger.getLogger(CryptoProducer.class);

    @Produces
    @Singleton
    @Startup
    SecretCipher secretCipher(HooklineConfig config) {
        boolean production = LaunchMode.current() == LaunchMode.NORMAL;
        MasterKeyRing ring;
        try {
            ring = MasterKeyRing.parse(config.secrets().masterKey(), production);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Hookline cannot start: " + e.getMessage());
        }
        if (ring.usesDevelopmentKey()) {
            LOG.warn("Webhook secrets are encrypted with the public DEVELOPMENT master key. Fine for dev and tests; "
                    + "production refuses it (set HOOKLINE_SECRETS_MASTER_KEY)");
        }
        return new SecretCipher(ring);
    }
}
