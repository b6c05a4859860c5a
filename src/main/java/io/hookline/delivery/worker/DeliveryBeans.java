package io.hookline.delivery.worker;

import io.hookline.config.HooklineConfig;
import io.hookline.crypto.SecretCipher;
import io.hookline.delivery.DeliveryQueue;
import io.hookline.delivery.TestSendLimits;
import io.hookline.delivery.http.Sender;
import io.hookline.metrics.DeliveryMetrics;
import io.hookline.retry.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** Wires the plain delivery classes from configuration, once per replica. */
@ApplicationScoped
public class DeliveryBeans {

    @Produces
    @Singleton
    Sender sender(Vertx vertx, HooklineConfig config) {
        HooklineConfig.Delivery d = config.delivery();
        return new Sender(vertx, d.timeout(), d.allowPrivateNetworks(), d.maxInFlightPerWebhook());
    }

    void close(@Disposes Sender sender) {
        sender.close();
    }

    @Produces
    @Singleton
    Attempts attempts(Sender sender, HooklineConfig config, Clock clock) {
        HooklineConfig.Delivery d = config.delivery();
        // ThreadLocalRandom of the calling thread: retries are computed on many threads
        RetryPolicy retry = new RetryPolicy(
                d.retrySchedule(),
                d.retryJitter(),
                clock,
                () -> ThreadLocalRandom.current().nextLong());
        return new Attempts(sender, retry, clock, d.headerPrefix(), d.userAgent());
    }

    @Produces
    @Singleton
    TestSendLimits testSendLimits(HooklineConfig config) {
        HooklineConfig.TestSend t = config.testSend();
        return new TestSendLimits(
                t.maxConcurrent(), t.maxConcurrentPerTenant(), config.delivery().timeout());
    }

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
