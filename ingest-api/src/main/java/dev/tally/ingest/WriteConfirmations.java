package dev.tally.ingest;

import dev.tally.kafka.TopicTail;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.JsonSerde;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
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

    /** Writers waiting for the processor's update right now. */
    public static final String PENDING = "tally.write.confirmations.pending";

    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Optional<CounterUpdate>>>> waiting = new ConcurrentHashMap<>();
    private final TopicTail<CounterUpdate> tail;
    private final KafkaClientMetrics tailMetrics;

    public WriteConfirmations(IngestSettings settings, MeterRegistry registry) {
        this.tail = TopicTail.following(settings.kafka(), settings.topics().updates(),
                new JsonSerde<>(CounterUpdate.class), record -> confirm(record.value()));
        this.tailMetrics = new KafkaClientMetrics(tail.client());
        tailMetrics.bindTo(registry);
        Gauge.builder(PENDING, this, WriteConfirmations::pending)
                .description("writers waiting for the processor's update of their event").register(registry);
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

    private int pending() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void close() {
        tailMetrics.close();
        tail.close();
    }
}
