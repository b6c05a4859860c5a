package io.hookline.send;

import io.hookline.config.DeliveryLimits;
import io.hookline.config.HooklineConfig;
import io.hookline.retry.RetryPolicy;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** Wires the sender and the attempt logic from configuration, once per replica; the engine and the test send share them. */
@ApplicationScoped
public class SendBeans {

    @Produces
    @Singleton
    Sender sender(Vertx vertx, HooklineConfig config) {
        HooklineConfig.Delivery d = config.delivery();
        // the pool per receiving host holds as many connections as one webhook's limit may reach
        return new Sender(vertx, d.timeout(), d.allowPrivateNetworks(), DeliveryLimits.ceiling(d));
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
}
