package dev.tally.processor;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.ReplyHeaders;
import dev.tally.schemas.RuleViolation;
import dev.tally.schemas.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applies one record of the event topic to the counts, exactly: a repeated Idempotency-Key answers what its first
 * copy answered, a per-user counter counts each user at most once, a monotonic counter only goes up, and a reset
 * sets a counter to zero. An event
 * whose headers name a reply partition ({@link ReplyHeaders}) is answered with one {@link CounterUpdate} there,
 * no-ops and repeats included, because a writer is waiting for it; any other event writes nothing but its stores.
 * A change to a post that some instance watches is marked for the {@link ChangeRouter}.
 *
 * <p>Any producer may write to the event topic, so every record is checked before it counts: against
 * {@link EventRules}, the rules ingest applies to writes; against {@link EventTimeBound}; and, when applied,
 * against overflow. A record that fails any check changes nothing and goes to the {@link DeadLetters}. Records
 * arrive as bytes and leave as bytes, so that a dead letter keeps exactly what its producer wrote.
 */
final class CounterApplier implements Processor<byte[], byte[], byte[], byte[]> {

    static final String REPLIES = "replies";
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

    /** The first 8 bytes of a {@link LikeKey}: big-endian, as {@link LikeKey#toBytes} writes the post id. */
    private static final LongSerializer POST_PREFIX = new LongSerializer();

    private static final JsonSerde<CounterUpdate> UPDATE_SERDE = new JsonSerde<>(CounterUpdate.class);

    private final CounterCatalog counters;
    private final long windowMillis;
    private final EventTimeBound timeBound;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetters deadLetters;
    private KeyValueStore<CounterKey, CounterState> counts;
    private KeyValueStore<LikeKey, byte[]> likers;
    private KeyValueStore<Long, PostWatchers> watchers;
    private KeyValueStore<Long, byte[]> pendingChanges;
    private WindowStore<IdempotencyKey, AppliedWrite> idempotency;
    private long keeperWrittenAt = Long.MIN_VALUE;
    private Cancellable idleKeeper;

    CounterApplier(CounterCatalog counters, Duration idempotencyWindow, EventTimeBound timeBound) {
        this.counters = counters;
        this.windowMillis = idempotencyWindow.toMillis();
        this.timeBound = timeBound;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context);
        this.counts = context.getStateStore(StoreNames.COUNTS);
        this.likers = context.getStateStore(StoreNames.LIKERS);
        this.watchers = context.getStateStore(PostWatchers.STORE);
        this.pendingChanges = context.getStateStore(ChangeRouter.PENDING);
        this.idempotency = context.getStateStore(IdempotencyStore.NAME);
        this.keeperWrittenAt = Long.MIN_VALUE;
        // Once: after the first keeper, events renew it. Never ahead of the clock: the stream time comes from record
        // timestamps, which a producer may have set in the future even though their events were refused.
        this.idleKeeper = context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (keeperWrittenAt == Long.MIN_VALUE) {
                keepASegment(Math.max(0, Math.min(context.currentStreamTimeMs(), context.currentSystemTimeMs())));
            }
            idleKeeper.cancel();
        });
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            CounterEvent event = EventRules.check(record.key(), record.value(), counters);
            long at = timeBound.check(event.timestamp(), record.timestamp(), context.currentSystemTimeMs());
            AppliedWrite applied = applyOnce(event, at);
            Optional<Integer> replyPartition = ReplyHeaders.partition(record.headers(), ReplyHeaders.PARTITION);
            if (replyPartition.isPresent()) {
                Instant updatedAt = applied.updatedAtMillis() == 0 ? null : Instant.ofEpochMilli(applied.updatedAtMillis());
                CounterUpdate update = new CounterUpdate(event.postId(), event.counter(), applied.count(), updatedAt,
                        event.eventId(), applied.liked());
                RecordHeaders replyTo = new RecordHeaders();
                replyTo.add(ReplyHeaders.PARTITION, ReplyHeaders.utf8(Integer.toString(replyPartition.get())));
                ReplyHeaders.text(record.headers(), ReplyHeaders.INSTANCE)
                        .ifPresent(instance -> replyTo.add(ReplyHeaders.INSTANCE, ReplyHeaders.utf8(instance)));
                context.forward(record.withValue(UPDATE_SERDE.serialize(null, update)).withHeaders(replyTo), REPLIES);
            }
        } catch (RuleViolation refused) {
            deadLetters.refuse(record, refused.getMessage());
        }
    }

    /** What the event's first copy answered, applying it now if this is the first copy. */
    private AppliedWrite applyOnce(CounterEvent event, long at) {
        CounterKind kind = counters.kindOf(event.counter()).orElseThrow();
        keepASegment(at);
        IdempotencyKey idempotencyKey = event.idempotencyKey() == null ? null
                : new IdempotencyKey(event.postId(), event.counter(), event.idempotencyKey());
        AppliedWrite applied = idempotencyKey == null ? null : firstCopy(idempotencyKey, at);
        if (applied == null) {
            applied = event.action() == Action.RESET ? reset(kind, event, at) : apply(kind, event, at);
            if (idempotencyKey != null) {
                idempotency.put(idempotencyKey, applied, at);
            }
        }
        return applied;
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

    /** Nothing is written unless the whole change can be: an overflow is refused before any store changes. */
    private AppliedWrite apply(CounterKind kind, CounterEvent event, long at) {
        CounterKey key = new CounterKey(event.postId(), event.counter());
        CounterState state = counts.get(key);
        LikeKey like = null;
        long delta;
        Boolean liked = null;
        if (kind == CounterKind.PER_USER) {
            like = new LikeKey(event.postId(), event.counter(), event.userId());
            boolean present = likers.get(like) != null;
            if (event.action() == Action.INCREMENT && !present) {
                delta = 1;
            } else if (event.action() == Action.DECREMENT && present) {
                delta = -1;
            } else {
                delta = 0;
            }
            liked = present ? delta == 0 : delta == 1;
        } else {
            // The rules have refused a decrement of a monotonic counter already. A folded event stands for
            // `amount` writes; one without an amount is a single write.
            long writes = event.amount() == null ? 1 : event.amount();
            delta = event.action() == Action.INCREMENT ? writes : -writes;
        }
        if (delta == 0) {
            return current(state, liked);
        }
        CounterState before = state == null ? new CounterState(0, 0) : state;
        CounterState next;
        try {
            next = before.plus(delta, at);
        } catch (ArithmeticException overflow) {
            throw new RuleViolation(event.counter() + " of post " + event.postId() + " is " + before.count()
                    + "; adding " + delta + " would overflow");
        }
        if (like != null && delta > 0) {
            likers.put(like, PRESENT);
        } else if (like != null) {
            likers.delete(like);
        }
        counts.put(key, next);
        if (watchers.get(event.postId()) != null) {
            pendingChanges.put(event.postId(), ChangeRouter.MARK);
        }
        return new AppliedWrite(next.count(), next.updatedAtMillis(), liked);
    }

    /**
     * Zero, and for a per-user counter no one counted any more, so that a user who liked before the reset likes
     * again rather than unlikes below zero. The post's likers are found by a prefix scan on the post id, which
     * leads the likers key: a reset costs one tombstone per liker of the post, which is why only admins may ask.
     */
    private AppliedWrite reset(CounterKind kind, CounterEvent event, long at) {
        if (kind == CounterKind.PER_USER) {
            List<LikeKey> counted = new ArrayList<>();
            try (KeyValueIterator<LikeKey, byte[]> likes = likers.prefixScan(event.postId(), POST_PREFIX)) {
                likes.forEachRemaining(like -> {
                    if (like.key.counter().equals(event.counter())) {
                        counted.add(like.key);
                    }
                });
            }
            counted.forEach(likers::delete);
        }
        CounterKey key = new CounterKey(event.postId(), event.counter());
        CounterState before = counts.get(key);
        CounterState next = new CounterState(0, before == null ? at : Math.max(before.updatedAtMillis(), at));
        counts.put(key, next);
        return new AppliedWrite(0, next.updatedAtMillis(), null);
    }

    private static AppliedWrite current(CounterState state, Boolean liked) {
        return state == null ? new AppliedWrite(0, 0, liked) : new AppliedWrite(state.count(), state.updatedAtMillis(), liked);
    }
}
