package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** The HTTP answer for one counter of one post; {@code updated_at} is null for a post never counted. */
public record CountResponse(
        long postId,
        String counter,
        long count,
        @JsonInclude(JsonInclude.Include.ALWAYS) Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean liked) {

    public static CountResponse empty(long postId, String counter) {
        return new CountResponse(postId, counter, 0, null, null);
    }
}
