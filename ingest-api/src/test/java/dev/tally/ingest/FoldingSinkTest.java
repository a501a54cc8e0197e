package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The fold window, flushed by hand instead of by its timer. */
class FoldingSinkTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink next = new RecordingSink().answering((event, until) -> CompletableFuture.completedFuture(
            new WriteOutcome.Counted(new CounterUpdate(event.postId(), event.counter(), 100, NOW, event.eventId(), null))));
    private final FoldingSink folding = new FoldingSink(next, new IngestMeters(registry));

    @Test
    void shouldAppendTheViewsOfOneWindowAsOneEventAndAnswerEachWithItsCount() {
        List<CompletableFuture<WriteOutcome>> views = List.of(
                folding.write(view(7), EventSink.Wait.COUNTED),
                folding.write(view(7), EventSink.Wait.COUNTED),
                folding.write(view(7), EventSink.Wait.COUNTED));
        assertThat(views).noneMatch(CompletableFuture::isDone);
        assertThat(next.written()).isEmpty();

        folding.flush();

        assertThat(next.written()).singleElement().satisfies(written -> {
            assertThat(written.event().amount()).isEqualTo(3);
            assertThat(written.until()).isEqualTo(EventSink.Wait.COUNTED);
        });
        assertThat(views).allSatisfy(view -> assertThat(view.join()).isInstanceOfSatisfying(WriteOutcome.Counted.class,
                counted -> assertThat(counted.update().count()).isEqualTo(100)));
        assertThat(registry.get(IngestMeters.FOLDED).counter().count()).isEqualTo(2);
    }

    @Test
    void shouldFoldPostsCountersAndWaitsApart() {
        folding.write(view(1), EventSink.Wait.COUNTED);
        folding.write(view(1), EventSink.Wait.DURABLE);
        folding.write(view(2), EventSink.Wait.COUNTED);
        folding.flush();

        assertThat(next.written()).hasSize(3).allSatisfy(written -> assertThat(written.event().amount()).isNull());
    }

    @Test
    void shouldPassWritesWithAUserOrAKeyStraightThrough() {
        CounterEvent like = new CounterEvent(UUID.randomUUID(), 7, "likes", Action.INCREMENT, 3L, null, NOW);
        CounterEvent keyed = new CounterEvent(UUID.randomUUID(), 7, "views", Action.INCREMENT, null, "k-1", NOW);

        assertThat(folding.write(like, EventSink.Wait.COUNTED)).isDone();
        assertThat(folding.write(keyed, EventSink.Wait.DURABLE)).isDone();
        assertThat(next.written()).extracting(RecordingSink.Written::event).containsExactly(like, keyed);
    }

    @Test
    void shouldFailEveryFoldedWriteWhenItsEventIsNotAppended() {
        next.answering((event, until) -> CompletableFuture.failedFuture(new IllegalStateException("no leader")));
        CompletableFuture<WriteOutcome> one = folding.write(view(4), EventSink.Wait.DURABLE);
        CompletableFuture<WriteOutcome> two = folding.write(view(4), EventSink.Wait.DURABLE);
        folding.flush();

        assertThat(one).isCompletedExceptionally();
        assertThat(two).isCompletedExceptionally();
    }

    private static CounterEvent view(long postId) {
        return new CounterEvent(UUID.randomUUID(), postId, "views", Action.INCREMENT, null, null, NOW);
    }
}
