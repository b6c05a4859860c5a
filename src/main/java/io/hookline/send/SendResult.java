package io.hookline.send;

import io.hookline.store.ErrorClass;

/**
 * What one HTTP attempt returned. {@code status} is null when no response arrived; {@code errorClass} is null on a
 * 2xx, and never {@link ErrorClass#INTERNAL} (that one is Hookline's, not the receiver's).
 */
public record SendResult(
        Integer status, String body, int durationMs, ErrorClass errorClass, String errorMessage, String retryAfter) {

    public boolean ok() {
        return errorClass == null;
    }

    static SendResult response(int status, String body, int durationMs, String retryAfter) {
        if (status >= 200 && status < 300) {
            return new SendResult(status, body, durationMs, null, null, null);
        }
        if (status >= 300 && status < 400) {
            return new SendResult(
                    status,
                    body,
                    durationMs,
                    ErrorClass.REDIRECT,
                    "answered " + status + "; redirects are not followed, register the final URL",
                    retryAfter);
        }
        return new SendResult(status, body, durationMs, ErrorClass.HTTP_STATUS, "answered " + status, retryAfter);
    }

    static SendResult error(ErrorClass errorClass, String message, int durationMs) {
        return new SendResult(null, null, durationMs, errorClass, message, null);
    }
}
