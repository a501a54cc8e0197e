package dev.tally.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Reads every counter of many posts through the feed endpoint, a hundred posts a request. */
public final class Counts {

    private static final int FEED_SIZE = 100;

    private Counts() {
    }

    /**
     * Post id to counter name to count, for the named counters of every post asked for. Throws if a read is not
     * answered with 200, so that an Awaitility wait retries it.
     */
    public static Map<Long, Map<String, Long>> read(Http http, Collection<Long> postIds, List<String> counters) {
        Map<Long, Map<String, Long>> all = new TreeMap<>();
        List<Long> ids = new ArrayList<>(postIds);
        for (int from = 0; from < ids.size(); from += FEED_SIZE) {
            String list = ids.subList(from, Math.min(ids.size(), from + FEED_SIZE)).stream()
                    .map(String::valueOf).collect(Collectors.joining(","));
            Http.Answer answer = http.get("/v1/counters?post_ids=" + list);
            if (answer.status() != 200) {
                throw new IllegalStateException("feed read answered " + answer.status() + ": " + answer.body());
            }
            for (JsonNode post : answer.json().get("counters")) {
                Map<String, Long> values = new TreeMap<>();
                counters.forEach(counter -> values.put(counter, post.get(counter).asLong()));
                all.put(post.get("post_id").asLong(), values);
            }
        }
        return all;
    }
}
