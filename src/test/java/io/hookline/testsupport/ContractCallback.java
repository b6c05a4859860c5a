package io.hookline.testsupport;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/** Puts {@link OpenApiContract} in front of every REST Assured request of every {@code @QuarkusTest}. */
public class ContractCallback implements QuarkusTestBeforeEachCallback {
    private static OpenApiContract contract;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        synchronized (ContractCallback.class) {
            if (contract == null) {
                contract = new OpenApiContract();
            }
            if (!RestAssured.filters().contains(contract)) {
                RestAssured.filters(contract);
            }
        }
    }
}
