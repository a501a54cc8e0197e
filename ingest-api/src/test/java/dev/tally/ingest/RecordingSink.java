package dev.tally.ingest;

import dev.tally.schemas.CounterEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** An {@link EventSink} for unit tests: keeps what it was given and answers as told. */
final class RecordingSink implements EventSink {

    record Written(CounterEvent event, Wait until) {
    }

    private final List<Written> written = new CopyOnWriteArrayList<>();
    private volatile BiFunction<CounterEvent, Wait, CompletableFuture<WriteOutcome>> answer =
            (event, until) -> CompletableFuture.completedFuture(new WriteOutcome.Accepted(event.eventId()));

    RecordingSink answering(BiFunction<CounterEvent, Wait, CompletableFuture<WriteOutcome>> answer) {
        this.answer = answer;
        return this;
    }

    List<Written> written() {
        return List.copyOf(written);
    }

    @Override
    public CompletableFuture<WriteOutcome> write(CounterEvent event, Wait until) {
        written.add(new Written(event, until));
        return answer.apply(event, until);
    }
}
