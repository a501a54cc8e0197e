package dev.tally.ingest;

import dev.tally.schemas.CounterEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Where a validated write goes. The future completes with the {@link WriteOutcome}, or fails with a 503
 * {@code ApiException} when Kafka did not acknowledge the append.
 */
interface EventSink {

    /** How long the writer waits: until the event is counted (read-your-writes), or only until it is durable. */
    enum Wait { COUNTED, DURABLE }

    CompletableFuture<WriteOutcome> write(CounterEvent event, Wait wait);
}
