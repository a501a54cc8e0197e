package dev.tally.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.http.Params;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.RuleViolation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/events}, {@code {"events":[{"post_id":1,"counter":"likes","action":"increment",
 * "user_id":7,"idempotency_key":"k1"}, ...]}}, parsed into events with the PUT's rules applied to each: a bad event
 * rejects the whole batch with a 400 that names its index, so a client never has to guess what was appended.
 */
record BatchRequest(List<CounterEvent> events) {

    private static final List<String> ROOT_FIELDS = List.of("events");
    private static final List<String> EVENT_FIELDS = List.of("post_id", "counter", "action", "user_id", "idempotency_key");

    static BatchRequest parse(byte[] body, CounterCatalog counters, int maxEvents, Instant now) {
        JsonNode root = JsonBody.object(body, ROOT_FIELDS, "{\"events\":[...]}");
        JsonNode list = root.get("events");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiException.badRequest("events is required and must list 1 to " + maxEvents + " events");
        }
        if (list.size() > maxEvents) {
            throw ApiException.payloadTooLarge("events lists " + list.size() + " events; at most " + maxEvents + " are allowed");
        }
        List<CounterEvent> events = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            try {
                events.add(event(list.get(i), counters, now));
            } catch (ApiException e) {
                throw new ApiException(e.status(), e.code(), "events[" + i + "]: " + e.getMessage());
            }
        }
        return new BatchRequest(events);
    }

    private static CounterEvent event(JsonNode node, CounterCatalog counters, Instant now) {
        if (!node.isObject()) {
            throw ApiException.badRequest("each event must be a JSON object");
        }
        JsonBody.allowOnly(node, EVENT_FIELDS);
        Long postId = JsonBody.optionalId(node, "post_id");
        if (postId == null) {
            throw ApiException.badRequest("post_id must be an integer from 1 to 9223372036854775807");
        }
        String counter = text(node, "counter");
        CounterKind kind = Params.counterKind(counters, counter);
        Action action;
        try {
            action = Action.fromWire(text(node, "action"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Long userId = JsonBody.optionalId(node, "user_id");
        JsonNode key = node.get("idempotency_key");
        String idempotencyKey = null;
        if (key != null && !key.isNull()) {
            try {
                EventRules.checkIdempotencyKey("idempotency_key", key.isTextual() ? key.textValue() : null);
            } catch (RuleViolation e) {
                throw ApiException.badRequest(e.getMessage());
            }
            idempotencyKey = key.textValue();
        }
        return WriteRules.event(postId, counter, kind, action, userId, idempotencyKey, now);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest(field + " is required and must be a string");
        }
        return value.textValue();
    }
}
