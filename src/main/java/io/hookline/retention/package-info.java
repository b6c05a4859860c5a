/**
 * Retention: a scheduled job that deletes finished deliveries (with their attempts) and orphaned events once they are
 * older than the configured ages, in small batches that never lock the queue, on one replica at a time.
 */
package io.hookline.retention;
