package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * The processor's reply to an applied event that asked for one, on the replies topic (JSON, keyed by post id, on the
 * partition the event named): the waiting ingest instance answers the write with the count that includes it. A
 * duplicate (same Idempotency-Key) repeats the first copy's count and updated_at.
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
