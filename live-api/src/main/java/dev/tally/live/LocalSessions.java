package dev.tally.live;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The viewer sessions open on this instance, per post, in memory. A session is either joined (a client said
 * "join" and keeps saying it at least every session timeout) or an open stream (it counts until it closes). The
 * same user or session id joining twice is one session. Nothing here talks to Kafka: {@link PresenceReporter}
 * publishes what it counts.
 */
public final class LocalSessions {

    /** Sessions open on this instance, joined and streaming, over all posts: {@code tally_live_sessions}. */
    public static final String OPEN = "tally.live.sessions";

    private final Clock clock;
    private final long timeoutMillis;
    private final Map<Long, Post> posts = new HashMap<>();
    private volatile LongConsumer onChange = post -> { };

    public LocalSessions(Clock clock, java.time.Duration sessionTimeout) {
        this.clock = clock;
        this.timeoutMillis = sessionTimeout.toMillis();
    }

    /** Sessions of one post: joined ones with the time they were last renewed, and open streams. */
    private static final class Post {
        final Map<String, Long> joined = new HashMap<>();
        int streams;

        long count() {
            return joined.size() + streams;
        }
    }

    /** Called with a post id whenever that post's session count changes here. */
    public void onChange(LongConsumer listener) {
        this.onChange = listener;
    }

    /** Opens or renews a joined session. */
    public void join(long postId, String sessionKey) {
        boolean added;
        synchronized (this) {
            added = posts.computeIfAbsent(postId, id -> new Post()).joined.put(sessionKey, clock.millis()) == null;
        }
        if (added) {
            onChange.accept(postId);
        }
    }

    public void leave(long postId, String sessionKey) {
        boolean removed;
        synchronized (this) {
            Post post = posts.get(postId);
            removed = post != null && post.joined.remove(sessionKey) != null;
            forgetIfEmpty(postId, post);
        }
        if (removed) {
            onChange.accept(postId);
        }
    }

    /** Counts an open stream until the returned action runs (once; later runs do nothing). */
    public Runnable openStream(long postId) {
        synchronized (this) {
            posts.computeIfAbsent(postId, id -> new Post()).streams++;
        }
        onChange.accept(postId);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                synchronized (this) {
                    Post post = posts.get(postId);
                    post.streams--;
                    forgetIfEmpty(postId, post);
                }
                onChange.accept(postId);
            }
        };
    }

    /** Sessions of one post open now (joined sessions past their timeout are not counted). */
    public synchronized long count(long postId) {
        Post post = posts.get(postId);
        if (post == null) {
            return 0;
        }
        long expired = post.joined.values().stream().filter(this::isExpired).count();
        return post.count() - expired;
    }

    /** Sessions open here now, over all posts (joined sessions past their timeout are not counted). */
    public synchronized long total() {
        long open = 0;
        for (Post post : posts.values()) {
            open += post.streams + post.joined.values().stream().filter(joined -> !isExpired(joined)).count();
        }
        return open;
    }

    /**
     * Drops the joined sessions that were not renewed in time and answers the count of every post that has
     * sessions, and 0 for each post that lost its last session in this sweep.
     */
    public Map<Long, Long> sweep() {
        Map<Long, Long> counts = new LinkedHashMap<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Long, Post>> it = posts.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Post> entry = it.next();
                Post post = entry.getValue();
                post.joined.values().removeIf(this::isExpired);
                counts.put(entry.getKey(), post.count());
                if (post.count() == 0) {
                    it.remove();
                }
            }
        }
        return counts;
    }

    private boolean isExpired(long lastSeen) {
        return clock.millis() - lastSeen >= timeoutMillis;
    }

    private void forgetIfEmpty(long postId, Post post) {
        if (post != null && post.count() == 0) {
            posts.remove(postId);
        }
    }
}
