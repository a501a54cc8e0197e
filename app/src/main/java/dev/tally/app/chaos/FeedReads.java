package dev.tally.app.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Reads every post's counters from one processor, 100 posts per {@code GET /v1/counters} (the feed's limit). */
final class FeedReads {

    static final int PER_REQUEST = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The counters of one post as a processor answered them. */
    record Counts(long likes, long views) {
    }

    /**
     * One feed request: its status, the counts when it answered 200, and otherwise why not: the {@code message} of
     * tally's JSON error with its numbers blanked ({@code #}), so that refusals of different posts add up.
     */
    record Page(int status, Map<Long, Counts> counts, String refusal) {
    }

    private final ChaosHttp http;
    private final List<String> pages = new ArrayList<>();

    FeedReads(ChaosHttp http, int posts) {
        this.http = http;
        for (long first = 1; first <= posts; first += PER_REQUEST) {
            pages.add(LongStream.range(first, Math.min(posts + 1, first + PER_REQUEST)).mapToObj(Long::toString)
                    .collect(Collectors.joining(",")));
        }
    }

    int pageCount() {
        return pages.size();
    }

    Page read(TallyInstance processor, int page) {
        ChaosHttp.Answer answer = http.get(processor.base() + "/v1/counters?post_ids=" + pages.get(page), TIMEOUT);
        if (answer.status() != 200) {
            return new Page(answer.status(), Map.of(), refusal(answer));
        }
        try {
            Map<Long, Counts> counts = new HashMap<>();
            for (JsonNode post : Json.mapper().readTree(answer.body()).get("counters")) {
                counts.put(post.get("post_id").asLong(), new Counts(post.path("likes").asLong(), post.path("views").asLong()));
            }
            return new Page(200, counts, "");
        } catch (IOException | RuntimeException e) {
            return new Page(-1, Map.of(), "unreadable answer");
        }
    }

    private static String refusal(ChaosHttp.Answer answer) {
        String message;
        try {
            message = Json.mapper().readTree(answer.body()).path("message").asText(answer.body());
        } catch (IOException | RuntimeException notJson) {
            message = answer.body();
        }
        return message.replaceAll("[0-9]+", "#");
    }

    /** Every post from this processor, or empty if any page did not answer 200. */
    java.util.Optional<Map<Long, Counts>> readAll(TallyInstance processor) {
        Map<Long, Counts> all = new HashMap<>();
        for (int page = 0; page < pages.size(); page++) {
            Page answer = read(processor, page);
            if (answer.status() != 200) {
                return java.util.Optional.empty();
            }
            all.putAll(answer.counts());
        }
        return java.util.Optional.of(all);
    }
}
