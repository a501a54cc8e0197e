package dev.tally.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tally.http.ApiException;
import dev.tally.schemas.Action;
import dev.tally.schemas.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of a write, {@code {"action":"increment"|"decrement","user_id":U}}, parsed strictly: a field tally
 * does not know is an error, not something silently dropped.
 */
record WriteRequest(Action action, Long userId) {

    private static final Set<String> FIELDS = Set.of("action", "user_id");
    // A body that says two things at once ({"action":"decrement","action":"increment"}, or a second object after
    // the first) is refused, not read as whichever part the parser happens to keep.
    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static WriteRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body must be a JSON object such as {\"action\":\"increment\"}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown field \"" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                        + "\"; allowed fields are action, user_id");
            }
        }
        JsonNode action = root.get("action");
        if (action == null || !action.isTextual()) {
            throw ApiException.badRequest("action is required and must be \"increment\" or \"decrement\"");
        }
        Action parsed;
        try {
            parsed = Action.fromWire(action.textValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return new WriteRequest(parsed, userId(root.get("user_id")));
    }

    private static Long userId(JsonNode user) {
        if (user == null || user.isNull()) {
            return null;
        }
        if (!user.isIntegralNumber() || !user.canConvertToLong() || user.longValue() <= 0) {
            throw ApiException.badRequest("user_id must be an integer from 1 to 9223372036854775807");
        }
        return user.longValue();
    }
}
