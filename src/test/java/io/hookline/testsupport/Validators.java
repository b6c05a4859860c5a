package io.hookline.testsupport;

import io.hookline.contract.WebhookUrlValidator;
import jakarta.validation.Configuration;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorFactory;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

/** A Bean Validation {@link Validator} for the request records, without booting Quarkus (for unit tests). */
public final class Validators {
    private Validators() {}

    /** @param allowPrivateNetworks {@code hookline.delivery.allow-private-networks}, which the URL rules read */
    public static Validator forRequests(boolean allowPrivateNetworks) {
        Configuration<?> configuration = Validation.byDefaultProvider().configure();
        ConstraintValidatorFactory defaults = configuration.getDefaultConstraintValidatorFactory();
        return configuration
                .constraintValidatorFactory(new ConstraintValidatorFactory() {
                    @Override
                    public <T extends ConstraintValidator<?, ?>> T getInstance(Class<T> key) {
                        return key == WebhookUrlValidator.class
                                ? key.cast(new WebhookUrlValidator(allowPrivateNetworks))
                                : defaults.getInstance(key);
                    }

                    @Override
                    public void releaseInstance(ConstraintValidator<?, ?> instance) {
                        defaults.releaseInstance(instance);
                    }
                })
                .buildValidatorFactory()
                .getValidator();
    }
}
