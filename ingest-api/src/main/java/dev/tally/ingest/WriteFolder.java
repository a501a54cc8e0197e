package dev.tally.ingest;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.EventRules;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Folds the anonymous writes one post's counter receives within a short window (views: no user, no
 * Idempotency-Key) into one event with an {@code amount}, so a viral post costs its partition one record per window
 * and instance, not one per view. Exactness is untouched: the folded event is appended, or not, as a whole, and
 * each folded request is answered only from that one event's outcome, with a count that includes it.
 */
final class WriteFolder implements AutoCloseable {

    private record Key(long postId, String counter, Action action) {
    }

    private static final class Fold {
        private final CounterEvent first;
        private final CompletableFuture<Submission> sealed = new CompletableFuture<>();
        private long writes;

        private Fold(CounterEvent first) {
            this.first = first;
        }
    }

    private final Map<Key, Fold> open = new ConcurrentHashMap<>();
    private final Function<CounterEvent, Submission> submit;
    private final IngestMeters meters;
    private final ScheduledExecutorService flusher;

    /** Folds over {@code window}; {@code submit} appends one folded event and returns its outcome. */
    WriteFolder(Duration window, Function<CounterEvent, Submission> submit, IngestMeters meters) {
        this.submit = submit;
        this.meters = meters;
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tally-write-folder");
            thread.setDaemon(true);
            return thread;
        });
        long micros = window.toNanos() / 1000;
        flusher.scheduleWithFixedDelay(this::flush, micros, micros, TimeUnit.MICROSECONDS);
    }

    static boolean canFold(CounterEvent event) {
        return event.userId() == null && event.idempotencyKey() == null;
    }

    /** Completes, at the end of the current window, with the submission of the folded event that counts this write. */
    CompletableFuture<Submission> fold(CounterEvent event) {
        Fold fold = open.compute(new Key(event.postId(), event.counter(), event.action()), (key, current) -> {
            boolean full = current != null && current.writes == EventRules.MAX_AMOUNT;
            if (full) {
                // Sealed now, since the processor refuses an event that stands for more writes than this.
                flusher.execute(() -> seal(current));
            }
            Fold joined = current == null || full ? new Fold(event) : current;
            joined.writes++;
            return joined;
        });
        if (fold.first != event) {
            meters.folded();
        }
        return fold.sealed;
    }

    private void flush() {
        for (Key key : open.keySet()) {
            // Removed under the map's lock for the key: no write joins a fold after it is sealed.
            Fold fold = open.remove(key);
            if (fold != null) {
                seal(fold);
            }
        }
    }

    private void seal(Fold fold) {
        try {
            fold.sealed.complete(submit.apply(fold.first.withAmount(fold.writes)));
        } catch (RuntimeException e) {
            fold.sealed.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flush();
    }
}
