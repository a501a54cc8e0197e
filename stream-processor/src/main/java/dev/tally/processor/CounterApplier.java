package dev.tally.processor;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one event to the counts, exactly: a repeated Idempotency-Key answers what its first copy answered, a
 * per-user counter counts each user at most once, a monotonic counter only goes up. Emits one
 * {@link CounterUpdate} per event, including no-ops, because a writer is waiting for it.
 */
final class CounterApplier implements Processor<String, CounterEvent, String, CounterUpdate> {

    private static final Logger LOG = LoggerFactory.getLogger(CounterApplier.class);
    private static final byte[] PRESENT = {1};
    /**
     * Kafka Streams 4.4 keeps a window store's committed changelog offset inside its segments, so a window store
     * without any segment (no write with an Idempotency-Key on this partition within the window) has no offset,
     * and under exactly-once a task whose other stores hold data is then declared corrupted: every restart,
     * rebalance and standby promotion wiped the task and restored counts and likers from their changelogs. One
     * keeper entry per task per hour of event time keeps a live segment; a task that has seen no event yet gets
     * one at its stream time from a punctuation (not at wall-clock time: a rebuild replays old events, and a
     * future entry would expire their idempotency keys). Post 0 is never a real post.
     */
    static final IdempotencyKey SEGMENT_KEEPER = new IdempotencyKey(0, "-", "segment-keeper");
    private static final AppliedWrite KEEPER_VALUE = new AppliedWrite(0, 0, null);
    private static final long KEEPER_INTERVAL_MILLIS = Duration.ofHours(1).toMillis();

    private final CounterCatalog counters;
    private final long windowMillis;
    private ProcessorContext<String, CounterUpdate> context;
    private KeyValueStore<CounterKey, CounterState> counts;
    private KeyValueStore<LikeKey, byte[]> likers;
    private WindowStore<IdempotencyKey, AppliedWrite> idempotency;
    private long keeperWrittenAt = Long.MIN_VALUE;
    private Cancellable idleKeeper;

    CounterApplier(CounterCatalog counters, Duration idempotencyWindow) {
        this.counters = counters;
        this.windowMillis = idempotencyWindow.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, CounterUpdate> context) {
        this.context = context;
        this.counts = context.getStateStore(StoreNames.COUNTS);
        this.likers = context.getStateStore(StoreNames.LIKERS);
        this.idempotency = context.getStateStore(IdempotencyStore.NAME);
        this.keeperWrittenAt = Long.MIN_VALUE;
        // Once: after the first keeper, events renew it.
        this.idleKeeper = context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (keeperWrittenAt == Long.MIN_VALUE) {
                keepASegment(Math.max(0, context.currentStreamTimeMs()));
            }
            idleKeeper.cancel();
        });
    }

    @Override
    public void process(Record<String, CounterEvent> record) {
        CounterEvent event = record.value();
        if (event == null) {
            return;
        }
        Optional<CounterKind> kind = counters.kindOf(event.counter());
        if (kind.isEmpty()) {
            // Ingest validates counters; this is an event from before a counter was removed from the catalog.
            LOG.warn("skipping event {} for unconfigured counter {}", event.eventId(), event.counter());
            return;
        }
        long at = event.timestamp().toEpochMilli();
        keepASegment(at);
        IdempotencyKey idempotencyKey = event.idempotencyKey() == null ? null
                : new IdempotencyKey(event.postId(), event.counter(), event.idempotencyKey());
        AppliedWrite applied = idempotencyKey == null ? null : firstCopy(idempotencyKey, at);
        if (applied == null) {
            applied = apply(kind.get(), event, at);
            if (idempotencyKey != null) {
                idempotency.put(idempotencyKey, applied, at);
            }
        }
        Instant updatedAt = applied.updatedAtMillis() == 0 ? null : Instant.ofEpochMilli(applied.updatedAtMillis());
        context.forward(record.withValue(new CounterUpdate(event.postId(), event.counter(), applied.count(),
                updatedAt, event.eventId(), applied.liked())));
    }

    private void keepASegment(long at) {
        if (keeperWrittenAt == Long.MIN_VALUE || at - keeperWrittenAt >= KEEPER_INTERVAL_MILLIS) {
            idempotency.put(SEGMENT_KEEPER, KEEPER_VALUE, at);
            keeperWrittenAt = at;
        }
    }

    private AppliedWrite firstCopy(IdempotencyKey key, long at) {
        try (WindowStoreIterator<AppliedWrite> copies = idempotency.fetch(key, at - windowMillis, at + windowMillis)) {
            return copies.hasNext() ? copies.next().value : null;
        }
    }

    private AppliedWrite apply(CounterKind kind, CounterEvent event, long at) {
        CounterKey key = new CounterKey(event.postId(), event.counter());
        CounterState state = counts.get(key);
        long delta;
        Boolean liked = null;
        switch (kind) {
            case PER_USER -> {
                if (event.userId() == null) {
                    LOG.warn("skipping event {}: per-user counter {} without user", event.eventId(), event.counter());
                    return current(state, null);
                }
                LikeKey like = new LikeKey(event.postId(), event.counter(), event.userId());
                boolean present = likers.get(like) != null;
                if (event.action() == Action.INCREMENT && !present) {
                    likers.put(like, PRESENT);
                    delta = 1;
                } else if (event.action() == Action.DECREMENT && present) {
                    likers.delete(like);
                    delta = -1;
                } else {
                    delta = 0;
                }
                liked = present ? delta == 0 : delta == 1;
            }
            case MONOTONIC -> delta = event.action() == Action.INCREMENT ? event.times() : 0;
            case GENERIC -> delta = event.action() == Action.INCREMENT ? event.times() : -event.times();
            default -> throw new IllegalStateException("unknown counter kind " + kind);
        }
        if (delta == 0) {
            return current(state, liked);
        }
        CounterState next = (state == null ? new CounterState(0, 0) : state).plus(delta, at);
        counts.put(key, next);
        return new AppliedWrite(next.count(), next.updatedAtMillis(), liked);
    }

    private static AppliedWrite current(CounterState state, Boolean liked) {
        return state == null ? new AppliedWrite(0, 0, liked) : new AppliedWrite(state.count(), state.updatedAtMillis(), liked);
    }
}
