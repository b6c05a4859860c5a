package io.hookline.ingest;

/** The request headers, looked up by name regardless of case; null when absent. */
@FunctionalInterface
public interface Headers {
    String get(String name);
}
