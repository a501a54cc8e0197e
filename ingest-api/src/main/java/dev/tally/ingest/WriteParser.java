package dev.tally.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.http.RequestFields;
import dev.tally.http.security.Caller;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.RuleViolation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns what a client sends into counter events, checking everything before anything is appended: the one place
 * where a PUT and each event of a batch are parsed and held to the counter's rules ({@link EventRules}, which the
 * processor applies again to every record). Bodies are read strictly: a field tally does not know, a field given
 * twice, or a value of the wrong type is a 400 naming it, never something silently dropped or coerced.
 *
 * <p>Who may write is settled here too, from the request's {@link Caller}: with {@code TALLY_AUTH=jwt} a per-user
 * write is the token's user's (401 without a token, 403 when the body names another user), and a reset needs the
 * admin role.
 *
 * <ul>
 *   <li>PUT body: {@code {"action":"increment"|"decrement","user_id":U}}; with a token, {@code user_id} may be left
 *       out</li>
 *   <li>reset ({@code DELETE}): no body; the counter goes to 0</li>
 *   <li>batch body: {@code {"events":[{"post_id":1,"counter":"likes","action":"increment","user_id":7,
 *       "idempotency_key":"k1"}, ...]}}: a bad event refuses the whole batch with a 400 that names its index</li>
 * </ul>
 */
final class WriteParser {

    private static final List<String> PUT_FIELDS = List.of("action", "user_id");
    private static final List<String> BATCH_FIELDS = List.of("events");
    private static final List<String> BATCH_EVENT_FIELDS = List.of("post_id", "counter", "action", "user_id", "idempotency_key");

    private final CounterCatalog counters;
    private final EventClock clock;

    WriteParser(CounterCatalog counters, Clock clock) {
        this.counters = counters;
        this.clock = new EventClock(clock);
    }

    /** {@code PUT /v1/{post_id}/{counter}} with its {@code Idempotency-Key} header (or null) and body. */
    CounterEvent put(String postIdParam, String counter, String idempotencyKey, byte[] body, Caller caller) {
        long postId = RequestFields.positiveId("post_id", postIdParam);
        CounterKind kind = RequestFields.counterKind(counters, counter);
        checkHeaderKey(idempotencyKey);
        JsonNode fields = JsonBody.object(body, PUT_FIELDS, "{\"action\":\"increment\"}");
        return event(postId, counter, kind, fields, idempotencyKey, clock.next(), caller);
    }

    /**
     * {@code DELETE /v1/{post_id}/{counter}}: an admin's reset, with its {@code Idempotency-Key} (or null). The role
     * is checked first, so that whoever lacks it learns nothing about posts and counters.
     */
    CounterEvent reset(String postIdParam, String counter, String idempotencyKey, Caller caller) {
        caller.requireAdmin();
        long postId = RequestFields.positiveId("post_id", postIdParam);
        RequestFields.counterKind(counters, counter);
        checkHeaderKey(idempotencyKey);
        return new CounterEvent(eventId(postId, counter, idempotencyKey), postId, counter, Action.RESET, null,
                idempotencyKey, clock.next());
    }

    private static void checkHeaderKey(String idempotencyKey) {
        checked(() -> {
            if (idempotencyKey != null) {
                EventRules.checkIdempotencyKey(IngestRoutes.IDEMPOTENCY_HEADER, idempotencyKey);
            }
        });
    }

    /** {@code POST /v1/events}: 1 to {@code maxEvents} events, all valid or none. */
    List<CounterEvent> batch(byte[] body, int maxEvents, Caller caller) {
        JsonNode list = JsonBody.object(body, BATCH_FIELDS, "{\"events\":[...]}").get("events");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiException.badRequest("events is required and must list 1 to " + maxEvents + " events");
        }
        if (list.size() > maxEvents) {
            throw ApiException.payloadTooLarge("events lists " + list.size() + " events; at most " + maxEvents + " are allowed");
        }
        List<CounterEvent> events = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            try {
                // Each its own microsecond, in the batch's order (EventClock).
                events.add(batchEvent(list.get(i), clock.next(), caller));
            } catch (ApiException e) {
                throw e.prefixed("events[" + i + "]: ");
            }
        }
        return events;
    }

    private CounterEvent batchEvent(JsonNode node, Instant now, Caller caller) {
        if (!node.isObject()) {
            throw ApiException.badRequest("each event must be a JSON object");
        }
        JsonBody.allowOnly(node, BATCH_EVENT_FIELDS);
        Long postId = JsonBody.optionalId(node, "post_id");
        if (postId == null) {
            throw ApiException.badRequest("post_id must be an integer from 1 to 9223372036854775807");
        }
        JsonNode counterField = node.get("counter");
        if (counterField == null || !counterField.isTextual()) {
            throw ApiException.badRequest("counter is required and must be a string");
        }
        String counter = counterField.textValue();
        CounterKind kind = RequestFields.counterKind(counters, counter);
        JsonNode key = node.get("idempotency_key");
        String idempotencyKey = null;
        if (key != null && !key.isNull()) {
            String text = key.isTextual() ? key.textValue() : null;
            checked(() -> EventRules.checkIdempotencyKey("idempotency_key", text));
            idempotencyKey = text;
        }
        return event(postId, counter, kind, node, idempotencyKey, now, caller);
    }

    /** The fields a PUT body and a batch event share, and the counter's rules, which both obey alike. */
    private static CounterEvent event(long postId, String counter, CounterKind kind, JsonNode fields,
                                      String idempotencyKey, Instant now, Caller caller) {
        JsonNode actionField = fields.get("action");
        if (actionField == null || !actionField.isTextual()) {
            throw ApiException.badRequest("action is required and must be \"increment\" or \"decrement\"");
        }
        Action action;
        try {
            action = Action.fromWire(actionField.textValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Long userId = caller.writer(kind, JsonBody.optionalId(fields, "user_id"));
        checked(() -> {
            EventRules.checkAction(counter, kind, action);
            EventRules.checkUser(counter, kind, userId);
        });
        return new CounterEvent(eventId(postId, counter, idempotencyKey), postId, counter, action,
                kind.requiresUser() ? userId : null, idempotencyKey, now);
    }

    /** Every copy of a request with a key gets the same event id, whichever ingest instance receives it. */
    private static UUID eventId(long postId, String counter, String idempotencyKey) {
        return idempotencyKey == null ? UUID.randomUUID() : new IdempotencyKey(postId, counter, idempotencyKey).eventId();
    }

    private static void checked(Runnable rules) {
        try {
            rules.run();
        } catch (RuleViolation e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
