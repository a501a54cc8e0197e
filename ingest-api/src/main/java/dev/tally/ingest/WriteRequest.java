package dev.tally.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.schemas.Action;
import java.util.List;


/**
 * The body of a write, {@code {"action":"increment"|"decrement","user_id":U}}, parsed strictly: a field tally
 * does not know is an error, not something silently dropped.
 */
record WriteRequest(Action action, Long userId) {

    private static final List<String> FIELDS = List.of("action", "user_id");

    static WriteRequest parse(byte[] body) {
        JsonNode root = JsonBody.object(body, FIELDS, "{\"action\":\"increment\"}");
        JsonNode action = root.get("action");
        if (action == null || !action.isTextual()) {
            throw ApiException.badRequest("action is required and must be \"increment\" or \"decrement\"");
        }
        try {
            return new WriteRequest(Action.fromWire(action.textValue()), JsonBody.optionalId(root, "user_id"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
