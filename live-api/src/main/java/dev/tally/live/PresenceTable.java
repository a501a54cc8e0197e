package dev.tally.live;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongConsumer;
import dev.tally.schemas.PresenceReport;

/**
 * The live viewer gauge: the latest report of every instance for every post, summed. A report of 0 withdraws an
 * instance from a post; an instance that stops reporting (it died, or lost its connection) is dropped once its
 * latest report is older than the expiry, measured on this instance's clock when the report arrived, so clock skew
 * between instances does not matter. Sessions are counts, never negative, so the sum never is either.
 */
public final class PresenceTable {

    private final Clock clock;
    private final long expiryMillis;
    private final Map<Long, Map<String, Seen>> posts = new HashMap<>();
    private volatile LongConsumer onChange = post -> { };

    private record Seen(long sessions, long receivedAt) {
    }

    public PresenceTable(Clock clock, Duration instanceExpiry) {
        this.clock = clock;
        this.expiryMillis = instanceExpiry.toMillis();
    }

    /** Called with a post id whenever its gauge changes. */
    public void onChange(LongConsumer listener) {
        this.onChange = listener;
    }

    public void accept(PresenceReport report) {
        long before;
        long after;
        synchronized (this) {
            before = liveUsers(report.postId());
            Map<String, Seen> instances = posts.computeIfAbsent(report.postId(), id -> new HashMap<>());
            if (report.sessions() == 0) {
                instances.remove(report.instanceId());
                if (instances.isEmpty()) {
                    posts.remove(report.postId());
                }
            } else {
                instances.put(report.instanceId(), new Seen(report.sessions(), clock.millis()));
            }
            after = liveUsers(report.postId());
        }
        if (before != after) {
            onChange.accept(report.postId());
        }
    }

    /** Open viewer sessions of a post across every instance still reporting; 0 when none. */
    public synchronized long liveUsers(long postId) {
        Map<String, Seen> instances = posts.get(postId);
        if (instances == null) {
            return 0;
        }
        long now = clock.millis();
        return instances.values().stream().filter(seen -> now - seen.receivedAt() < expiryMillis)
                .mapToLong(Seen::sessions).sum();
    }

    /** Forgets expired reports, telling the listener about every post whose gauge thereby changed. */
    public void sweep() {
        java.util.List<Long> changed = new java.util.ArrayList<>();
        synchronized (this) {
            long now = clock.millis();
            for (Iterator<Map.Entry<Long, Map<String, Seen>>> it = posts.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Map<String, Seen>> post = it.next();
                if (post.getValue().values().removeIf(seen -> now - seen.receivedAt() >= expiryMillis)) {
                    changed.add(post.getKey());
                }
                if (post.getValue().isEmpty()) {
                    it.remove();
                }
            }
        }
        changed.forEach(onChange::accept);
    }

    /** Posts with at least one live viewer, for metrics and tests. */
    public synchronized int posts() {
        return posts.size();
    }
}
