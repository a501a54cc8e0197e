package dev.tally.processor;

import dev.tally.schemas.IdempotencyKey;
import java.time.Duration;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps one live segment in a window store of idempotency answers. Kafka Streams 4.4 keeps a window store's
 * committed changelog offset inside its segments, so a window store without any segment (no write with an
 * Idempotency-Key on this partition within the window) has no offset, and under exactly-once a task whose other
 * stores hold data is then declared corrupted: every restart, rebalance and standby promotion wiped the task and
 * restored every store from its changelog. One keeper entry per task per hour of event time keeps a live segment;
 * a task that has seen no event yet gets one at its stream time from a punctuation (not at wall-clock time: a
 * rebuild replays old events, and a future entry would expire their keys). Post 0 is never a real post.
 */
final class SegmentKeeper {

    static final IdempotencyKey KEY = new IdempotencyKey(0, "-", "segment-keeper");
    private static final AppliedWrite VALUE = new AppliedWrite(0, 0, null);
    private static final long INTERVAL_MILLIS = Duration.ofHours(1).toMillis();

    private final WindowStore<IdempotencyKey, AppliedWrite> store;
    private long writtenAt = Long.MIN_VALUE;
    private Cancellable idle;

    /** Schedules the keeper of a task that sees no event; events renew it through {@link #keep}. */
    SegmentKeeper(WindowStore<IdempotencyKey, AppliedWrite> store, ProcessorContext<?, ?> context) {
        this.store = store;
        // Once: after the first keeper, events renew it. Never ahead of the clock: the stream time comes from record
        // timestamps, which a producer may have set in the future even though their events were refused.
        this.idle = context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (writtenAt == Long.MIN_VALUE) {
                keep(Math.max(0, Math.min(context.currentStreamTimeMs(), context.currentSystemTimeMs())));
            }
            idle.cancel();
        });
    }

    /** Writes the keeper at {@code at} unless one was written within the last hour of event time. */
    void keep(long at) {
        if (writtenAt == Long.MIN_VALUE || at - writtenAt >= INTERVAL_MILLIS) {
            store.put(KEY, VALUE, at);
            writtenAt = at;
        }
    }
}
