package dev.tally.processor;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.schemas.JsonSerde;
import java.util.UUID;

/**
 * Value of the like-totals topic (JSON, keyed by post id): what one partition's likers of a post changed in the
 * post's per-user counter since its previous record, sent from the partition that holds those likers to the one
 * that holds the post's counts ({@link LikeTotals}). One partition's records, summed in order, are always the number
 * of the post's users it counts, so their sum over every partition is never below zero.
 *
 * <p>Most records carry the changes of a commit interval ({@code eventId} null). A write that waits for its answer
 * is sent at once, on its own record, with its reply headers, so the summing side can answer it with the count
 * that includes it, and remember that answer for its Idempotency-Key's repeats (a repeat of a write nobody waited
 * for is answered with the count now: its first copy had no answer to repeat).
 *
 * @param delta          change to the count, since this partition's previous record of the post and counter
 * @param atMillis       event time of the latest change, the counter's updated_at
 * @param eventId        the write this record answers, or null for a commit's summary
 * @param idempotencyKey the write's Idempotency-Key, or null
 * @param repeat         the write is a repeated Idempotency-Key: answer with what its first copy answered
 * @param liked          whether the write's user likes the post after it, or null
 * @param resetCopies    for a reset (sent by ingest to every partition): how many copies complete it; null otherwise
 * @param region         the region whose events made the change ({@link Regions})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LikeDelta(String counter, long delta, long atMillis, UUID eventId, String idempotencyKey, boolean repeat,
                 Boolean liked, Integer resetCopies, String region) {

    static final JsonSerde<LikeDelta> SERDE = new JsonSerde<>(LikeDelta.class);

    static LikeDelta summary(String counter, long delta, long atMillis, String region) {
        return new LikeDelta(counter, delta, atMillis, null, null, false, null, null, region);
    }
}
