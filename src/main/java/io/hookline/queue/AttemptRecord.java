package io.hookline.queue;

import io.hookline.store.ErrorClass;
import java.time.Instant;

/** One attempt as the log keeps it. {@code errorClass} is null on success. */
public record AttemptRecord(
        Instant startedAt,
        int durationMs,
        Integer responseStatus,
        String responseBody,
        ErrorClass errorClass,
        String errorMessage) {

    public boolean succeeded() {
        return errorClass == null;
    }
}
