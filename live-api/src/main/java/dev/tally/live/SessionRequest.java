package dev.tally.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.http.security.Caller;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /v1/{post_id}/live_users}: {@code {"action":"join"|"leave","user_id":U}} for a signed-in
 * viewer or {@code {"action":…,"session_id":"…"}} for an anonymous one; at most one of the two, and neither means
 * the user of the bearer token. Parsed strictly: an unknown field is an error.
 *
 * @param userId    the user the body claims to be, or null
 * @param sessionId an anonymous viewer's session, or null
 */
record SessionRequest(boolean join, Long userId, String sessionId) {

    private static final List<String> FIELDS = List.of("action", "user_id", "session_id");
    /** 1 to 128 visible ASCII characters, like an Idempotency-Key. */
    private static final Pattern SESSION_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

    static SessionRequest parse(byte[] body) {
        JsonNode root = JsonBody.object(body, FIELDS, "{\"action\":\"join\",\"user_id\":5}");
        JsonNode action = root.get("action");
        if (action == null || !action.isTextual() || !(action.textValue().equals("join") || action.textValue().equals("leave"))) {
            throw ApiException.badRequest("action is required and must be \"join\" or \"leave\"");
        }
        JsonNode user = root.get("user_id");
        JsonNode session = root.get("session_id");
        if (user != null && session != null) {
            throw ApiException.badRequest("give one of user_id (a signed-in viewer) and session_id (an anonymous one)");
        }
        if (session != null && (!session.isTextual() || !SESSION_ID.matcher(session.textValue()).matches())) {
            throw ApiException.badRequest("session_id must be a string of 1 to 128 visible ASCII characters");
        }
        return new SessionRequest(action.textValue().equals("join"), user == null ? null : JsonBody.optionalId(root, "user_id"),
                session == null ? null : session.textValue());
    }

    /**
     * The session's identity on this instance: the same user (or session id) joining twice is one. The user is
     * the one {@code caller} vouches for: the token's, or the body's without authentication.
     */
    String sessionKey(Caller caller) {
        if (sessionId != null) {
            return "session:" + sessionId;
        }
        Long user = caller.user(userId);
        if (user == null) {
            throw ApiException.badRequest("give one of user_id (a signed-in viewer) and session_id (an anonymous one)");
        }
        return "user:" + user;
    }
}
