package dev.tally.live;

import dev.tally.schemas.PostCounts;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * One open stream of one post's counts. It buffers at most one event, the latest counts not yet written: a newer
 * one replaces it, so a slow client costs one object, never a queue. Writes happen on the hub's sender threads, at
 * most one at a time per stream and at least the minimum gap apart.
 */
final class StreamSubscription {

    static final String EVENT = "counts";

    private final long postId;
    private final String clientAddress;
    private final StreamSink sink;
    private final ScheduledExecutorService senders;
    private final long minGapNanos;
    private PostCounts pending;
    private PostCounts lastSent;
    private long lastSentAt = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile long lastWriteAt = System.nanoTime();
    private long writingSince;
    private boolean writing;
    private volatile boolean closed;

    StreamSubscription(long postId, String clientAddress, StreamSink sink, ScheduledExecutorService senders,
                       long minGapNanos) {
        this.postId = postId;
        this.clientAddress = clientAddress;
        this.sink = sink;
        this.senders = senders;
        this.minGapNanos = minGapNanos;
    }

    long postId() {
        return postId;
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Queues these counts unless the client already has them; replaces counts not yet written. */
    void offer(PostCounts counts) {
        synchronized (this) {
            if (closed || counts.equals(lastSent) || counts.equals(pending)) {
                return;
            }
            pending = counts;
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
        PostCounts next;
        synchronized (this) {
            next = pending;
            pending = null;
            if (next == null || closed) {
                writing = false;
                return;
            }
            writingSince = System.nanoTime();
        }
        sink.event(EVENT, next);
        synchronized (this) {
            lastSent = next;
            lastSentAt = System.nanoTime();
            lastWriteAt = lastSentAt;
            writingSince = 0;
            if (pending == null || closed) {
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
                    more = pending != null && !closed;
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
            LoggerFactory.getLogger(StreamSubscription.class).debug("closing a stream of post {} failed", postId, e);
        }
    }
}
