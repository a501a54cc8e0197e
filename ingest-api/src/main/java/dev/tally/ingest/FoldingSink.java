package dev.tally.ingest;

import dev.tally.runtime.Daemons;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.EventRules;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Folds the anonymous writes one post's counter receives within a short window (views: no user, no
 * Idempotency-Key) into one event with an {@code amount}, so a viral post costs its partition one record per window
 * and instance, not one per view; every other write passes straight through. Exactness is untouched: the folded
 * event is appended, or not, as a whole, and each folded write is answered from that one event's outcome, with a
 * count that includes it. Writers that wait for their count and writers that do not are folded apart.
 */
final class FoldingSink implements EventSink, AutoCloseable {

    private record Key(long postId, String counter, Action action, Wait until) {
    }

    private static final class Fold {
        private final CounterEvent first;
        private final CompletableFuture<WriteOutcome> outcome = new CompletableFuture<>();
        private long writes;

        private Fold(CounterEvent first) {
            this.first = first;
        }
    }

    private final EventSink next;
    private final IngestMeters meters;
    private final Map<Key, Fold> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Daemons.scheduler("tally-write-folder");

    FoldingSink(EventSink next, IngestMeters meters) {
        this.next = next;
        this.meters = meters;
    }

    /** Seals the open folds every {@code window}. */
    FoldingSink flushEvery(Duration window) {
        long micros = window.toNanos() / 1000;
        flusher.scheduleWithFixedDelay(this::flush, micros, micros, TimeUnit.MICROSECONDS);
        return this;
    }

    static boolean canFold(CounterEvent event) {
        return event.userId() == null && event.idempotencyKey() == null;
    }

    @Override
    public CompletableFuture<WriteOutcome> write(CounterEvent event, Wait wait) {
        if (!canFold(event)) {
            return next.write(event, wait);
        }
        Fold fold = open.compute(new Key(event.postId(), event.counter(), event.action(), wait), (key, current) -> {
            boolean full = current != null && current.writes == EventRules.MAX_AMOUNT;
            if (full) {
                // Sealed now, since the processor refuses an event that stands for more writes than this.
                flusher.execute(() -> seal(current, wait));
            }
            Fold joined = current == null || full ? new Fold(event) : current;
            joined.writes++;
            return joined;
        });
        if (fold.first != event) {
            meters.folded();
        }
        return fold.outcome;
    }

    /** Appends one event for each open fold. */
    void flush() {
        for (Key key : open.keySet()) {
            // Removed under the map's lock for the key: no write joins a fold after it is sealed.
            Fold fold = open.remove(key);
            if (fold != null) {
                seal(fold, key.until());
            }
        }
    }

    private void seal(Fold fold, Wait wait) {
        try {
            next.write(fold.first.withAmount(fold.writes), wait).whenComplete((outcome, error) -> {
                if (error != null) {
                    fold.outcome.completeExceptionally(error);
                } else {
                    fold.outcome.complete(outcome);
                }
            });
        } catch (RuntimeException e) {
            fold.outcome.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flush();
    }
}
