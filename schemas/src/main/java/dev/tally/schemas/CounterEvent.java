package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One like, unlike, view or other counter change, as appended to the event topic (JSON, keyed by the post id in
 * decimal). The topic is the source of truth: replaying it rebuilds every count. See {@code counter-event.schema.json}.
 *
 * @param eventId        unique per request; copies of a request with the same Idempotency-Key share it
 * @param postId         positive 64-bit post id
 * @param counter        counter name, one of the configured {@link CounterCatalog}
 * @param action         increment or decrement
 * @param userId         positive 64-bit user id; required by per-user counters such as likes
 * @param idempotencyKey the client's Idempotency-Key, if any: the event is applied at most once per (post, counter, key)
 * @param timestamp      when ingest accepted the event; becomes the counter's updated_at
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CounterEvent(
        UUID eventId,
        long postId,
        String counter,
        Action action,
        Long userId,
        String idempotencyKey,
        Instant timestamp) {

    public CounterEvent {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(counter, "counter");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(timestamp, "timestamp");
        if (postId <= 0) {
            throw new IllegalArgumentException("post_id must be positive");
        }
        if (userId != null && userId <= 0) {
            throw new IllegalArgumentException("user_id must be positive");
        }
    }

    /** The record key on the event topic: every event of a post lands in the same partition. */
    public String topicKey() {
        return Long.toString(postId);
    }
}
