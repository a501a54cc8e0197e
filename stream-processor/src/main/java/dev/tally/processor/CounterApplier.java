package dev.tally.processor;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.EventPlacement;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.LikeRegister;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.RegionCounterKey;
import dev.tally.schemas.ReplyHeaders;
import dev.tally.schemas.RuleViolation;
import dev.tally.schemas.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Applies one record of the event topic, exactly: a repeated Idempotency-Key answers what its first copy answered,
 * a per-user counter counts each user at most once, a monotonic counter only goes up, and a reset sets a counter
 * to zero. An event whose headers name a reply partition ({@link ReplyHeaders}) is answered with one
 * {@link CounterUpdate} there, no-ops and repeats included, because a writer is waiting for it; any other event
 * writes nothing but its stores. A change to a post that some instance watches is marked for the
 * {@link ChangeRouter}.
 *
 * <p>Events are placed by {@link EventPlacement}. A post's views and other counters arrive on the post's partition
 * and are counted here, in its counts. A per-user counter's events arrive on the partition of their post and user:
 * here each user's {@link LikeRegister} decides whether the count changes, and the change goes on as a
 * {@link LikeDelta} to the post's partition ({@link LikeTotals}) — at once for a write that waits for its answer,
 * otherwise summed per post over a commit interval, so a viral post's likes cost its partition a
 * few records per commit. An event that arrives on another partition (written by another producer, or before
 * likes were placed this way) is appended again on its own, with {@link ReplyHeaders#PLACED_PARTITION}; the
 * registers make its late arrival harmless.
 *
 * <p>Any producer may write to the event topic, so every record is checked before it counts: against
 * {@link EventRules}, the rules ingest applies to writes; against {@link EventTimeBound}; and, when applied,
 * against overflow. A record that fails any check changes nothing and goes to the {@link DeadLetters}. Records
 * arrive as bytes and leave as bytes, so that a dead letter keeps exactly what its producer wrote.
 */
final class CounterApplier implements Processor<byte[], byte[], byte[], byte[]> {

    static final String LIKE_TOTALS = "like-totals-out";
    static final String MOVED = "moved-events";
    static final String PENDING_LIKES = "pending-like-totals";

    /** The first 8 bytes of a {@link LikeKey}: big-endian, as {@link LikeKey#toBytes} writes the post id. */
    private static final LongSerializer POST_PREFIX = new LongSerializer();

    private final CounterCatalog counters;
    private final long windowMillis;
    private final EventTimeBound timeBound;
    private final int partitions;
    private final Duration commitInterval;
    private final Regions regions;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetters deadLetters;
    private KeyValueStore<CounterKey, CounterState> counts;
    private KeyValueStore<LikeKey, LikeRegister> likers;
    private KeyValueStore<RegionCounterKey, CounterState> pendingLikes;
    private KeyValueStore<RegionCounterKey, CounterState> regionCounts;
    private KeyValueStore<Long, PostWatchers> watchers;
    private KeyValueStore<Long, byte[]> pendingChanges;
    private WindowStore<IdempotencyKey, AppliedWrite> idempotency;
    private SegmentKeeper keeper;

    /**
     * @param partitions     the event topic's partition count, which {@link EventPlacement} places events by
     * @param commitInterval how often the summed like totals are sent on
     * @param regions        where events come from: this region's topic, and the peers' mirrored ones
     */
    CounterApplier(CounterCatalog counters, Duration idempotencyWindow, EventTimeBound timeBound, int partitions,
                   Duration commitInterval, Regions regions) {
        this.counters = counters;
        this.windowMillis = idempotencyWindow.toMillis();
        this.timeBound = timeBound;
        this.partitions = partitions;
        this.commitInterval = commitInterval;
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context);
        this.counts = context.getStateStore(StoreNames.COUNTS);
        this.likers = context.getStateStore(StoreNames.LIKERS);
        this.pendingLikes = context.getStateStore(PENDING_LIKES);
        this.regionCounts = regions.tracked() ? context.getStateStore(StoreNames.REGION_COUNTS) : null;
        this.watchers = context.getStateStore(PostWatchers.STORE);
        this.pendingChanges = context.getStateStore(ChangeRouter.PENDING);
        this.idempotency = context.getStateStore(IdempotencyStore.NAME);
        this.keeper = new SegmentKeeper(idempotency, context);
        context.schedule(commitInterval, PunctuationType.WALL_CLOCK_TIME, now -> sendLikeTotals());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            CounterEvent event = EventRules.check(record.key(), record.value(), counters);
            long at = timeBound.check(event.timestamp(), record.timestamp(), context.currentSystemTimeMs());
            CounterKind kind = counters.kindOf(event.counter()).orElseThrow();
            RecordMetadata source = context.recordMetadata().orElseThrow();
            String origin = regions.originOf(source.topic());
            OptionalInt home = EventPlacement.partitionOf(event, kind, partitions);
            if (home.isPresent() && home.getAsInt() != source.partition()) {
                if (regions.isLocal(source.topic())) {
                    move(record, source.partition(), home.getAsInt());
                }
                // A mirrored one is moved by its own region, and that copy is mirrored here too.
                return;
            }
            // Only this region's ingest waits for answers: a mirrored event's reply headers address nobody here.
            Headers replyTo = regions.isLocal(source.topic()) ? record.headers() : new RecordHeaders();
            keeper.keep(at);
            IdempotencyKey idempotencyKey = event.idempotencyKey() == null ? null
                    : new IdempotencyKey(event.postId(), event.counter(), event.idempotencyKey());
            AppliedWrite first = idempotencyKey == null ? null : firstCopy(idempotencyKey, at);
            if (kind == CounterKind.PER_USER) {
                applyPerUser(record, replyTo, origin, event, at, idempotencyKey, first);
                return;
            }
            AppliedWrite applied = first;
            if (applied == null) {
                applied = event.action() == Action.RESET ? reset(event, at) : apply(event, at, origin);
                if (idempotencyKey != null) {
                    idempotency.put(idempotencyKey, applied, at);
                }
            }
            Replies.to(record, replyTo, event.postId(), event.counter(), event.eventId(), applied)
                    .ifPresent(reply -> context.forward(reply, Replies.SINK));
        } catch (RuleViolation refused) {
            deadLetters.refuse(record, refused.getMessage());
        }
    }

    /** Appends the event again on the partition it belongs on, unchanged but for a header saying so. */
    private void move(Record<byte[], byte[]> record, int here, int home) {
        if (record.headers().lastHeader(ReplyHeaders.PLACED_PARTITION) != null) {
            // Moved once already: the partition count this processor places by is not the one that moved it.
            throw new RuleViolation("the event was moved to partition " + here + " but belongs on partition " + home
                    + " of " + partitions + "; did the event topic's partition count change?");
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(ReplyHeaders.PLACED_PARTITION, ReplyHeaders.utf8(Integer.toString(home)));
        context.forward(record.withHeaders(headers), MOVED);
    }

    private AppliedWrite firstCopy(IdempotencyKey key, long at) {
        try (WindowStoreIterator<AppliedWrite> copies = idempotency.fetch(key, at - windowMillis, at + windowMillis)) {
            return copies.hasNext() ? copies.next().value : null;
        }
    }

    /**
     * A like, an unlike or a reset of a per-user counter, on this partition's likers of the post. The count itself
     * lives on the post's partition, which answers waiting writers; here only whether it changes is decided.
     */
    private void applyPerUser(Record<byte[], byte[]> record, Headers replyTo, String origin, CounterEvent event,
                              long at, IdempotencyKey idempotencyKey, AppliedWrite first) {
        boolean reset = event.action() == Action.RESET;
        long delta = 0;
        Boolean liked = null;
        if (first != null) {
            liked = first.liked();
        } else {
            if (reset) {
                delta = -forgetLikers(event);
            } else {
                LikeKey like = new LikeKey(event.postId(), event.counter(), event.userId());
                LikeRegister current = likers.get(like);
                LikeRegister incoming = LikeRegister.of(event, event.action() == Action.INCREMENT);
                boolean before = current != null && current.liked();
                liked = before;
                if (current == null || incoming.supersedes(current)) {
                    likers.put(like, incoming);
                    liked = incoming.liked();
                }
                delta = (liked ? 1 : 0) - (before ? 1 : 0);
            }
            if (idempotencyKey != null) {
                idempotency.put(idempotencyKey, new AppliedWrite(0, at, liked), at);
            }
        }
        RegionCounterKey key = new RegionCounterKey(event.postId(), event.counter(), origin);
        boolean waits = ReplyHeaders.partition(replyTo, ReplyHeaders.PARTITION).isPresent();
        if (!waits && !reset) {
            if (delta != 0) {
                CounterState pending = pendingLikes.get(key);
                pendingLikes.put(key, pending == null ? new CounterState(delta, at) : pending.plus(delta, at));
            }
            return;
        }
        // Sent at once, after whatever this partition had pending for the post, so that its records stay in order
        // and their running sum stays the number of users it counts.
        for (String region : regions.all()) {
            RegionCounterKey pendingKey = new RegionCounterKey(event.postId(), event.counter(), region);
            CounterState pending = pendingLikes.get(pendingKey);
            if (pending != null) {
                pendingLikes.delete(pendingKey);
                forwardTotal(event.postId(), LikeDelta.summary(event.counter(), pending.count(),
                        pending.updatedAtMillis(), region), new RecordHeaders(), pending.updatedAtMillis());
            }
        }
        LikeDelta total = new LikeDelta(event.counter(), delta, at, event.eventId(), event.idempotencyKey(),
                first != null, liked, reset ? partitions : null, origin);
        forwardTotal(event.postId(), total, Replies.addressOf(replyTo), record.timestamp());
    }

    /** Forgets every user of this partition counted in the post's counter; returns how many were counted. */
    private long forgetLikers(CounterEvent event) {
        List<LikeKey> known = new ArrayList<>();
        long counted = 0;
        try (KeyValueIterator<LikeKey, LikeRegister> likes = likers.prefixScan(event.postId(), POST_PREFIX)) {
            while (likes.hasNext()) {
                KeyValue<LikeKey, LikeRegister> like = likes.next();
                if (like.key.counter().equals(event.counter())) {
                    known.add(like.key);
                    counted += like.value.liked() ? 1 : 0;
                }
            }
        }
        known.forEach(likers::delete);
        return counted;
    }

    /** Once per commit interval: the summed changes of every post whose likers changed here. */
    private void sendLikeTotals() {
        List<KeyValue<RegionCounterKey, CounterState>> pending = new ArrayList<>();
        try (KeyValueIterator<RegionCounterKey, CounterState> all = pendingLikes.all()) {
            all.forEachRemaining(pending::add);
        }
        for (KeyValue<RegionCounterKey, CounterState> entry : pending) {
            pendingLikes.delete(entry.key);
            forwardTotal(entry.key.postId(), LikeDelta.summary(entry.key.counter(), entry.value.count(),
                    entry.value.updatedAtMillis(), entry.key.region()), new RecordHeaders(), entry.value.updatedAtMillis());
        }
    }

    private void forwardTotal(long postId, LikeDelta total, Headers headers, long timestamp) {
        byte[] key = PostKeys.key(postId).getBytes(StandardCharsets.UTF_8);
        context.forward(new Record<>(key, LikeDelta.SERDE.serialize(null, total), timestamp, headers), LIKE_TOTALS);
    }

    /** A post's own counter (not per-user). Nothing is written unless the whole change can be. */
    private AppliedWrite apply(CounterEvent event, long at, String origin) {
        CounterKey key = new CounterKey(event.postId(), event.counter());
        CounterState state = counts.get(key);
        // The rules have refused a decrement of a monotonic counter already. A folded event stands for `amount`
        // writes; one without an amount is a single write.
        long writes = event.amount() == null ? 1 : event.amount();
        long delta = event.action() == Action.INCREMENT ? writes : -writes;
        CounterState before = state == null ? new CounterState(0, 0) : state;
        CounterState next;
        try {
            next = before.plus(delta, at);
        } catch (ArithmeticException overflow) {
            throw new RuleViolation(event.counter() + " of post " + event.postId() + " is " + before.count()
                    + "; adding " + delta + " would overflow");
        }
        counts.put(key, next);
        if (regions.tracked()) {
            RegionCounterKey regional = new RegionCounterKey(event.postId(), event.counter(), origin);
            CounterState fromOrigin = regionCounts.get(regional);
            regionCounts.put(regional, (fromOrigin == null ? new CounterState(0, 0) : fromOrigin).plus(delta, at));
        }
        if (watchers.get(event.postId()) != null) {
            pendingChanges.put(event.postId(), ChangeRouter.MARK);
        }
        return new AppliedWrite(next.count(), next.updatedAtMillis(), null);
    }

    /** Zero, for a post's own counter (a per-user counter's reset is {@link #forgetLikers} on every partition). */
    private AppliedWrite reset(CounterEvent event, long at) {
        CounterKey key = new CounterKey(event.postId(), event.counter());
        CounterState before = counts.get(key);
        CounterState next = new CounterState(0, before == null ? at : Math.max(before.updatedAtMillis(), at));
        counts.put(key, next);
        if (regions.tracked()) {
            regions.all().forEach(region -> regionCounts.delete(new RegionCounterKey(event.postId(), event.counter(), region)));
        }
        if (watchers.get(event.postId()) != null) {
            pendingChanges.put(event.postId(), ChangeRouter.MARK);
        }
        return new AppliedWrite(0, next.updatedAtMillis(), null);
    }
}
