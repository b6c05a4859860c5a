package io.hookline.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why an attempt failed. A closed set the API documents: the CHECK constraint on {@code delivery_attempt.error_class}
 * holds the same values (DatabaseEnumsTest keeps them equal), and {@link #value()} is the string stored there and sent
 * in the API. All but {@link #INTERNAL} are decided by {@link Sender}.
 */
public enum ErrorClass {
    /** The receiver answered a status outside 2xx and 3xx. */
    HTTP_STATUS("http_status"),
    /** No complete answer within the delivery timeout (connect, send and response together). */
    TIMEOUT("timeout"),
    /** Refused, reset or closed: the endpoint did not take or keep the connection. */
    CONNECTION("connection"),
    /** The TLS handshake failed (certificate, host name, protocol). */
    TLS("tls"),
    /** The host name did not resolve. */
    DNS("dns"),
    /** The host resolves to an address the target rules refuse, or plain http where https is required. */
    BLOCKED_ADDRESS("blocked_address"),
    /** A 3xx answer: redirects are not followed. */
    REDIRECT("redirect"),
    /** An answer that is not HTTP, or whose status line or headers are over the limits. */
    INVALID_RESPONSE("invalid_response"),
    /** Not sent or not stored because of Hookline itself (a missing key, a result the database refused). */
    INTERNAL("internal");

    private final String value;

    ErrorClass(String value) {
        this.value = value;
    }

    /** The string in the database and on the wire. */
    public String value() {
        return value;
    }

    /** @return the class whose {@link #value()} is {@code value}; empty for any other string */
    public static Optional<ErrorClass> of(String value) {
        return Arrays.stream(values()).filter(c -> c.value.equals(value)).findFirst();
    }
}
