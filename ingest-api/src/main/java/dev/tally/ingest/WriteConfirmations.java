package dev.tally.ingest;

import dev.tally.kafka.Inbox;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.ReplyHeaders;
import io.micrometer.core.instrument.Counter;
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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Lets a write answer with the count that includes it. A writer registers its event id before it publishes, and
 * the event names this instance's reply address ({@link #replyAddress()}: a partition of the replies topic this
 * instance owns in the group {@code tally-inbox-<replies>}, and this process run's id); the processor's reply,
 * read once committed, completes the writer's future. Each instance reads only its own partitions, so the
 * replies to W writes/s over I instances cost each about W/I records/s, not W. No thread waits: a future not
 * completed within the timeout completes empty, and the writer answers 202, which is also what a reply that lands
 * on a partition that moved to another instance comes to (the new owner ignores a reply to another instance id).
 */
public final class WriteConfirmations implements AutoCloseable {

    /** Writers waiting for the processor's reply right now. */
    public static final String PENDING = "tally.write.confirmations.pending";
    /** Replies read that were addressed to another instance (their partition moved): {@code tally_write_replies_foreign_total}. */
    public static final String FOREIGN = "tally.write.replies.foreign";

    /** Where the processor answers an event: a partition of the replies topic, and the instance waiting there. */
    public record ReplyAddress(int partition, String instanceId) {
    }

    private final ConcurrentHashMap<UUID, Set<CompletableFuture<Optional<CounterUpdate>>>> waiting = new ConcurrentHashMap<>();
    private final String instanceId = UUID.randomUUID().toString();
    private final Inbox<CounterUpdate> inbox;
    private final KafkaClientMetrics inboxMetrics;
    private final Counter foreign;

    public WriteConfirmations(IngestSettings settings, MeterRegistry registry) {
        this(new KafkaConsumer<>(Inbox.consumerProperties(settings.kafka(), settings.topics().replies(), settings.groupMember()),
                new StringDeserializer(), new JsonSerde<>(CounterUpdate.class)), settings.topics().replies(), registry);
    }

    WriteConfirmations(Consumer<String, CounterUpdate> consumer, String repliesTopic, MeterRegistry registry) {
        this.inbox = new Inbox<>(consumer, repliesTopic, this::confirm);
        this.inboxMetrics = new KafkaClientMetrics(consumer);
        inboxMetrics.bindTo(registry);
        this.foreign = Counter.builder(FOREIGN).description("replies read that were addressed to another instance")
                .register(registry);
        Gauge.builder(PENDING, this, WriteConfirmations::pending)
                .description("writers waiting for the processor's reply to their event").register(registry);
    }

    public WriteConfirmations start() {
        inbox.start();
        return this;
    }

    /** Once the group has assigned this instance its partitions (possibly none: then writes answer 202). */
    public boolean isReady() {
        return inbox.isReady();
    }

    /** Where the processor should answer, or empty while this instance owns no partition of the replies topic. */
    public Optional<ReplyAddress> replyAddress() {
        int partition = inbox.address();
        return partition < 0 ? Optional.empty() : Optional.of(new ReplyAddress(partition, instanceId));
    }

    /** Call before publishing, so that a fast reply cannot arrive before anyone waits for it. */
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

    private void confirm(ConsumerRecord<String, CounterUpdate> record) {
        CounterUpdate update = record.value();
        if (update == null || update.eventId() == null) {
            return;
        }
        if (!ReplyHeaders.text(record.headers(), ReplyHeaders.INSTANCE).map(instanceId::equals).orElse(false)) {
            foreign.increment();
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
        inboxMetrics.close();
        inbox.close();
    }
}
