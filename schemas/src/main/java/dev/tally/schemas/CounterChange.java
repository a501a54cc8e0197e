package dev.tally.schemas;

import java.time.Instant;

/**
 * News on the changes topic that a watched post's counts changed: {@code {"post_id":7,"changed_at":"…"}}, keyed by
 * post id. At most one per post, watching instance and processor commit, however many events changed it; the
 * watcher reads the counts themselves through the query API, so what it pushes always equals what a read answers.
 *
 * @param changedAt the processor's clock when it sent the change
 */
public record CounterChange(long postId, Instant changedAt) {
}
