package io.hookline.service;

import io.hookline.config.HooklineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the services' plain classes from configuration, once per replica. */
@ApplicationScoped
public class ServiceBeans {

    @Produces
    @Singleton
    TestSendLimits testSendLimits(HooklineConfig config) {
        HooklineConfig.TestSend t = config.testSend();
        return new TestSendLimits(
                t.maxConcurrent(), t.maxConcurrentPerTenant(), config.delivery().timeout());
    }
}
