package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a join or leave of a live viewer session: {@code {"post_id":7,"action":"join","renew_within_ms":30000}}.
 * The gauge itself is read with {@code GET /v1/{post_id}}: it includes the session within a second or so.
 *
 * @param renewWithinMs for a join, how soon the client must join again for the session to keep counting
 */
public record LiveSessionResponse(long postId, String action, @JsonInclude(JsonInclude.Include.NON_NULL) Long renewWithinMs) {
}
