package dev.tally.ingest;

import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One event on its way: {@code appended} completes when the append is durable (or fails), {@code applied} with the
 * processor's update, or empty after the confirm timeout.
 */
record Submission(CounterEvent event, CompletableFuture<RecordMetadata> appended,
                  CompletableFuture<Optional<CounterUpdate>> applied) {
}
