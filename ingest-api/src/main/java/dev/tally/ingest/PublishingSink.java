package dev.tally.ingest;

import dev.tally.http.ApiException;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Appends each event to the event topic; a writer that waits for its count is answered from the processor's
 * update, or as accepted once the confirm timeout passes (the append is durable either way).
 */
final class PublishingSink implements EventSink {

    private final EventPublisher publisher;
    private final WriteConfirmations confirmations;
    private final Duration confirmTimeout;

    PublishingSink(EventPublisher publisher, WriteConfirmations confirmations, Duration confirmTimeout) {
        this.publisher = publisher;
        this.confirmations = confirmations;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public CompletableFuture<WriteOutcome> write(CounterEvent event, Wait wait) {
        if (wait == Wait.DURABLE) {
            return appended(publisher.publish(event)).thenApply(done -> new WriteOutcome.Accepted(event.eventId()));
        }
        // Registered before the append, so a fast update cannot arrive before anyone waits for it.
        CompletableFuture<Optional<CounterUpdate>> counted = confirmations.expect(event.eventId(), confirmTimeout);
        return appended(publisher.publish(event))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        counted.cancel(false);
                    }
                })
                .thenCompose(done -> counted)
                .thenApply(update -> update.<WriteOutcome>map(WriteOutcome.Counted::new)
                        .orElseGet(() -> new WriteOutcome.Accepted(event.eventId())));
    }

    /** A failed or timed-out append may still have reached the log: the 503 says how to retry safely. */
    private static CompletableFuture<Void> appended(CompletableFuture<?> append) {
        return append.handle((metadata, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() == null ? error : error.getCause();
                throw ApiException.unavailable("Kafka did not acknowledge the event (" + cause.getMessage()
                        + "); retry with the same Idempotency-Key to count it once");
            }
            return null;
        });
    }
}
