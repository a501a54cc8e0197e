package dev.tally.processor;

import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.RegionCounterKey;
import dev.tally.schemas.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The second stage of a per-user counter: sums the {@link LikeDelta}s that the partitions holding a post's likers
 * send, into the post's count, on the partition that holds the post's counts (so a read stays one lookup). A
 * viral post's likes are checked against their users by every partition's task; this stage sees at most one record
 * per partition and commit for them, plus one per write that waits for its answer, which it answers here with the
 * count that includes it. A repeated Idempotency-Key is answered with what its first copy was answered, kept in
 * {@value #ANSWERS} for the idempotency window. A reset (one copy per partition) is answered once every copy has
 * arrived, with the count they leave.
 */
final class LikeTotals implements Processor<byte[], byte[], byte[], byte[]> {

    static final String SOURCE = "like-totals";
    static final String NAME = "sum-likes";
    static final String ANSWERS = "like-answers";
    static final String RESETS = "like-resets";

    private final CounterCatalog counters;
    private final long windowMillis;
    private final Regions regions;
    private ProcessorContext<byte[], byte[]> context;
    private DeadLetters deadLetters;
    private KeyValueStore<CounterKey, CounterState> counts;
    private KeyValueStore<RegionCounterKey, CounterState> regionCounts;
    private KeyValueStore<Long, PostWatchers> watchers;
    private KeyValueStore<Long, byte[]> pendingChanges;
    private WindowStore<IdempotencyKey, AppliedWrite> answers;
    private KeyValueStore<String, Integer> resets;
    private SegmentKeeper keeper;

    LikeTotals(CounterCatalog counters, Duration idempotencyWindow, Regions regions) {
        this.counters = counters;
        this.windowMillis = idempotencyWindow.toMillis();
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context);
        this.counts = context.getStateStore(StoreNames.COUNTS);
        this.regionCounts = regions.tracked() ? context.getStateStore(StoreNames.REGION_COUNTS) : null;
        this.watchers = context.getStateStore(PostWatchers.STORE);
        this.pendingChanges = context.getStateStore(ChangeRouter.PENDING);
        this.answers = context.getStateStore(ANSWERS);
        this.resets = context.getStateStore(RESETS);
        this.keeper = new SegmentKeeper(answers, context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long postId;
        LikeDelta delta;
        try {
            postId = Long.parseLong(new String(record.key(), StandardCharsets.UTF_8));
            delta = LikeDelta.SERDE.deserialize(null, record.value());
            if (delta == null || counters.kindOf(delta.counter()).orElse(null) != CounterKind.PER_USER) {
                throw new IllegalArgumentException("not a per-user counter's total");
            }
        } catch (RuntimeException notATotal) {
            // Only the processor writes this topic; anything else is kept as evidence and counted nowhere.
            deadLetters.refuse(record, "not a like total: " + notATotal.getMessage());
            return;
        }
        long at = delta.atMillis();
        keeper.keep(at);
        CounterKey key = new CounterKey(postId, delta.counter());
        CounterState state = counts.get(key);
        if (delta.delta() != 0 || delta.resetCopies() != null) {
            // A reset moves updated_at even when it found nobody to forget.
            state = (state == null ? new CounterState(0, 0) : state).plus(delta.delta(), at);
            counts.put(key, state);
            if (regions.tracked() && delta.delta() != 0) {
                RegionCounterKey regional = new RegionCounterKey(postId, delta.counter(),
                        delta.region() == null ? regions.local() : delta.region());
                CounterState fromRegion = regionCounts.get(regional);
                regionCounts.put(regional, (fromRegion == null ? new CounterState(0, 0) : fromRegion).plus(delta.delta(), at));
            }
            if (watchers.get(postId) != null) {
                pendingChanges.put(postId, ChangeRouter.MARK);
            }
        }
        if (delta.resetCopies() != null) {
            if (!lastCopyOfReset(delta)) {
                return;
            }
            // Which region counted a forgotten like is not kept, so each region's figure starts again from the
            // reset; the total stays exact.
            if (regions.tracked()) {
                regions.all().forEach(region -> regionCounts.delete(new RegionCounterKey(postId, delta.counter(), region)));
            }
        }
        AppliedWrite answer = state == null ? new AppliedWrite(0, 0, delta.liked())
                : new AppliedWrite(state.count(), state.updatedAtMillis(), delta.liked());
        if (delta.idempotencyKey() != null) {
            IdempotencyKey idempotencyKey = new IdempotencyKey(postId, delta.counter(), delta.idempotencyKey());
            AppliedWrite first = delta.repeat() ? firstAnswer(idempotencyKey, at) : null;
            if (first != null) {
                answer = first;
            } else {
                answers.put(idempotencyKey, answer, at);
            }
        }
        if (delta.eventId() != null) {
            Replies.to(record, record.headers(), postId, delta.counter(), delta.eventId(), answer)
                    .ifPresent(reply -> context.forward(reply, Replies.SINK));
        }
    }

    /** Counts a reset's copies; true for the one that completes it. */
    private boolean lastCopyOfReset(LikeDelta delta) {
        String id = delta.eventId() + (delta.repeat() ? "/repeat" : "");
        Integer seen = resets.get(id);
        int now = (seen == null ? 0 : seen) + 1;
        if (now >= delta.resetCopies()) {
            resets.delete(id);
            return true;
        }
        resets.put(id, now);
        return false;
    }

    private AppliedWrite firstAnswer(IdempotencyKey key, long at) {
        try (WindowStoreIterator<AppliedWrite> copies = answers.fetch(key, at - windowMillis, at + windowMillis)) {
            return copies.hasNext() ? copies.next().value : null;
        }
    }
}
