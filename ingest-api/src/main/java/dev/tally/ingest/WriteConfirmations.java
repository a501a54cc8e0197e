package dev.tally.ingest;

import dev.tally.kafka.TopicTail;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.JsonSerde;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Lets a write answer with the count that includes it. A writer registers its event id before it publishes; the
 * processor's update for that event, read from the updates topic once committed, completes the writer's future.
 * No thread waits: a future not completed within the timeout completes empty, and the writer answers 202.
 */
public final class WriteConfirmations implements AutoCloseable {

    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Optional<CounterUpdate>>>> waiting = new ConcurrentHashMap<>();
    private final TopicTail<CounterUpdate> tail;

    public WriteConfirmations(IngestSettings settings) {
        this.tail = new TopicTail<>(settings.kafka(), settings.topics().updates(),
                new JsonSerde<>(CounterUpdate.class), record -> confirm(record.value()));
    }

    public WriteConfirmations start() {
        tail.start();
        return this;
    }

    public boolean isReady() {
        return tail.isReady();
    }

    /** Call before publishing, so that a fast update cannot arrive before anyone waits for it. */
    public CompletableFuture<Optional<CounterUpdate>> expect(UUID eventId, Duration timeout) {
        CompletableFuture<Optional<CounterUpdate>> confirmation = new CompletableFuture<>();
        waiting.computeIfAbsent(eventId, id -> ConcurrentHashMap.newKeySet()).add(confirmation);
        confirmation.whenComplete((update, error) -> forget(eventId, confirmation));
        return confirmation.completeOnTimeout(Optional.empty(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void forget(UUID eventId, CompletableFuture<Optional<CounterUpdate>> confirmation) {
        waiting.computeIfPresent(eventId, (id, futures) -> {
            futures.remove(confirmation);
            return futures.isEmpty() ? null : futures;
        });
    }

    private void confirm(CounterUpdate update) {
        if (update == null || update.eventId() == null) {
            return;
        }
        Set<CompletableFuture<Optional<CounterUpdate>>> futures = waiting.get(update.eventId());
        if (futures != null) {
            Optional<CounterUpdate> applied = Optional.of(update);
            futures.forEach(future -> future.complete(applied));
        }
    }

    /** Writers waiting right now, for metrics and tests. */
    public int pending() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void close() {
        tail.close();
    }
}
