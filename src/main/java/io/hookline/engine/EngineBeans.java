package io.hookline.engine;

import io.hookline.config.HooklineConfig;
import io.hookline.crypto.SecretCipher;
import io.hookline.queue.DeliveryQueue;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the engine's plain classes from configuration, once per replica. */
@ApplicationScoped
public class EngineBeans {

    @Produces
    @Singleton
    DeliveryMetrics metrics(MeterRegistry registry, HooklineConfig config) {
        return new DeliveryMetrics(registry, config.metrics().tenantLabel());
    }

    @Produces
    @Singleton
    SecretStore secretStore(DeliveryQueue queue, SecretCipher cipher) {
        return new SecretStore(queue, cipher);
    }
}
