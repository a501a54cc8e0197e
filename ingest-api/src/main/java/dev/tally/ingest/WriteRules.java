package dev.tally.ingest;

import dev.tally.http.ApiException;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.RuleViolation;
import java.time.Instant;
import java.util.UUID;

/**
 * What makes a write valid for its counter's kind, and the event it becomes: one place for the PUT and the batch
 * endpoint, so both refuse the same writes with the same words and key the same Idempotency-Key alike. The rules
 * themselves are {@link EventRules}, which the processor applies again to every record of the event topic.
 */
final class WriteRules {

    private WriteRules() {
    }

    static CounterEvent event(long postId, String counter, CounterKind kind, Action action, Long userId,
                              String idempotencyKey, Instant now) {
        try {
            EventRules.checkAction(counter, kind, action);
            EventRules.checkUser(counter, kind, userId);
        } catch (RuleViolation e) {
            throw ApiException.badRequest(e.getMessage());
        }
        // Every copy of a request with a key gets the same event id, whichever ingest instance receives it.
        UUID eventId = idempotencyKey == null ? UUID.randomUUID()
                : new IdempotencyKey(postId, counter, idempotencyKey).eventId();
        return new CounterEvent(eventId, postId, counter, action, kind.requiresUser() ? userId : null, idempotencyKey, now);
    }
}
