package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * What the processor emits for every event it has applied, on the updates topic (JSON, keyed by post id). Ingest
 * instances wait for it to answer a write with the count that includes it; query instances fan it out to stream
 * subscribers. A duplicate (same Idempotency-Key) repeats the first copy's count and updated_at.
 *
 * @param liked for per-user counters, whether the event's user likes the post after the event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CounterUpdate(
        long postId,
        String counter,
        long count,
        Instant updatedAt,
        UUID eventId,
        Boolean liked) {

    public CountResponse toResponse() {
        return new CountResponse(postId, counter, count, updatedAt, liked);
    }
}
