package dev.tally.live;

import dev.tally.schemas.PostCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * One open stream of the counts of one post ({@code /v1/{post_id}/stream}) or of a page's posts
 * ({@code /v1/stream?post_ids=}). It buffers at most one event per post, the latest counts not yet written: a
 * newer one replaces it, so a slow client costs one object per post, never a queue. Writes happen on the hub's
 * sender threads, at most one at a time per stream and at least the minimum gap apart; one write sends the pending
 * event of every post that changed, so a page of 100 posts gets at most 5 bursts a second, not 500.
 */
final class StreamSubscription {

    static final String EVENT = "counts";

    private final List<Long> postIds;
    private final String clientAddress;
    private final StreamSink sink;
    private final ScheduledExecutorService senders;
    private final long minGapNanos;
    private final Map<Long, PostCounts> pending = new LinkedHashMap<>();
    private final Map<Long, PostCounts> lastSent = new HashMap<>();
    private long lastSentAt = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile long lastWriteAt = System.nanoTime();
    private long writingSince;
    private boolean writing;
    private volatile boolean closed;

    StreamSubscription(List<Long> postIds, String clientAddress, StreamSink sink, ScheduledExecutorService senders,
                       long minGapNanos) {
        this.postIds = List.copyOf(postIds);
        this.clientAddress = clientAddress;
        this.sink = sink;
        this.senders = senders;
        this.minGapNanos = minGapNanos;
    }

    List<Long> postIds() {
        return postIds;
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Queues these counts unless the client already has them; replaces counts not yet written. */
    void offer(PostCounts counts) {
        synchronized (this) {
            Long postId = counts.postId();
            if (closed || counts.equals(lastSent.get(postId)) || counts.equals(pending.get(postId))) {
                return;
            }
            pending.put(postId, counts);
            if (writing) {
                return;
            }
            writing = true;
        }
        scheduleWrite();
    }

    private void scheduleWrite() {
        long wait = Math.max(0, lastSentAt + minGapNanos - System.nanoTime());
        senders.schedule(this::write, wait, TimeUnit.NANOSECONDS);
    }

    private void write() {
        List<PostCounts> next;
        synchronized (this) {
            next = new ArrayList<>(pending.values());
            pending.clear();
            if (next.isEmpty() || closed) {
                writing = false;
                return;
            }
            writingSince = System.nanoTime();
        }
        for (PostCounts counts : next) {
            sink.event(EVENT, counts);
        }
        synchronized (this) {
            next.forEach(counts -> lastSent.put(counts.postId(), counts));
            lastSentAt = System.nanoTime();
            lastWriteAt = lastSentAt;
            writingSince = 0;
            if (pending.isEmpty() || closed) {
                writing = false;
                return;
            }
        }
        scheduleWrite();
    }

    /** A comment line when idle: keeps proxies from closing the stream and finds clients that went away. */
    void ping() {
        comment("keep-alive", 0);
    }

    /** An empty comment line if nothing was written for {@code idleNanos}: finds a client that went away. */
    void probe(long idleNanos) {
        comment("", idleNanos);
    }

    private void comment(String text, long idleNanos) {
        synchronized (this) {
            if (writing || closed || System.nanoTime() - lastWriteAt < idleNanos) {
                return;
            }
            writing = true;
        }
        senders.execute(() -> {
            try {
                sink.comment(text);
                lastWriteAt = System.nanoTime();
            } finally {
                boolean more;
                synchronized (this) {
                    more = !pending.isEmpty() && !closed;
                    writing = more;
                }
                if (more) {
                    scheduleWrite();
                }
            }
        });
    }

    /** True when a write has been stuck longer than the bound: the client reads too slowly and is dropped. */
    synchronized boolean isStuck(long boundNanos) {
        return writingSince != 0 && System.nanoTime() - writingSince > boundNanos;
    }

    boolean isClosed() {
        return closed || sink.isClosed();
    }

    void close() {
        closed = true;
        try {
            sink.close();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(StreamSubscription.class).debug("closing a stream of posts {} failed", postIds, e);
        }
    }
}
