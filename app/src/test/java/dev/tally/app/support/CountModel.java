package dev.tally.app.support;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the counts must be, computed the obvious way for tally's default counters: likes is the set of users whose
 * last action was a like, views counts every increment, and an event whose Idempotency-Key was seen before on the
 * same post and counter changes nothing. Events of a post must be applied in the order they were appended.
 */
public final class CountModel {

    public static final List<String> COUNTERS = List.of("likes", "views");

    private final Map<Long, Set<Long>> likers = new TreeMap<>();
    private final Map<Long, Long> views = new TreeMap<>();
    private final Set<String> seenKeys = new HashSet<>();

    public void apply(CounterEvent event) {
        if (event.idempotencyKey() != null
                && !seenKeys.add(event.postId() + "/" + event.counter() + "/" + event.idempotencyKey())) {
            return;
        }
        switch (event.counter()) {
            case "likes" -> {
                Set<Long> users = likers.computeIfAbsent(event.postId(), post -> new HashSet<>());
                if (event.action() == Action.INCREMENT) {
                    users.add(event.userId());
                } else {
                    users.remove(event.userId());
                }
            }
            case "views" -> views.merge(event.postId(), event.action() == Action.INCREMENT ? 1L : 0L, Long::sum);
            default -> throw new IllegalArgumentException("the model knows likes and views, not " + event.counter());
        }
    }

    public boolean likes(long postId, long userId) {
        return likers.getOrDefault(postId, Set.of()).contains(userId);
    }

    /** Post id to counter to count, in the shape {@link Counts#read} answers. */
    public Map<Long, Map<String, Long>> counts(Iterable<Long> postIds) {
        Map<Long, Map<String, Long>> all = new TreeMap<>();
        for (long postId : postIds) {
            Map<String, Long> values = new TreeMap<>();
            values.put("likes", (long) likers.getOrDefault(postId, Set.of()).size());
            values.put("views", views.getOrDefault(postId, 0L));
            all.put(postId, values);
        }
        return all;
    }
}
