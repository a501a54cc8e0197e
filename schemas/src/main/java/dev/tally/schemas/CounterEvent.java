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
 * @param amount         how many identical anonymous writes this event stands for (absent: one). Ingest folds
 *                       the views a hot post receives within a few milliseconds into one event, so a viral post
 *                       costs its partition one record per window, not one per view
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CounterEvent(
        UUID eventId,
        long postId,
        String counter,
        Action action,
        Long userId,
        String idempotencyKey,
        Instant timestamp,
        Long amount) {

    /** A single write. */
    public CounterEvent(UUID eventId, long postId, String counter, Action action, Long userId, String idempotencyKey,
                        Instant timestamp) {
        this(eventId, postId, counter, action, userId, idempotencyKey, timestamp, null);
    }

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
        if (amount != null && (amount <= 0 || userId != null || idempotencyKey != null)) {
            throw new IllegalArgumentException("amount must be positive, and only anonymous writes without a key are folded");
        }
    }

    public CounterEvent withAmount(long writes) {
        return new CounterEvent(eventId, postId, counter, action, userId, idempotencyKey, timestamp,
                writes == 1 ? null : writes);
    }
}
