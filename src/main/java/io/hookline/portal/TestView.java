package io.hookline.portal;

import io.hookline.contract.DeliveryApi;
import io.quarkus.qute.TemplateData;
import java.time.Instant;

/** The outcome of a test send as the portal shows it: the answer's first {@link #SHOWN} characters, not 4 KiB. */
@TemplateData
public record TestView(
        boolean success,
        Integer status,
        int durationMs,
        String bodyStart,
        boolean clipped,
        String error,
        String deliveryId,
        Instant at,
        String problem) {
    static final int SHOWN = 300;

    static TestView of(DeliveryApi.TestResult r, Instant at) {
        String body = r.body() == null ? "" : r.body();
        boolean clipped = body.length() > SHOWN;
        return new TestView(
                r.success(),
                r.status(),
                r.durationMs(),
                clipped ? body.substring(0, SHOWN) : body,
                clipped,
                r.error(),
                r.deliveryId(),
                at,
                null);
    }

    /** A test that could not be sent at all (too many at once, no usable secret). */
    static TestView refused(String problem, Instant at) {
        return new TestView(false, null, 0, "", false, null, null, at, problem);
    }
}
