package dev.tally.ingest;

import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.EventPlacement;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.ReplyHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Appends events to the event topic, keyed by post id, on the partition {@link EventPlacement} gives them (a like
 * by post and user, anything else by post), batched by the producer. The returned future completes when the append
 * is durable (acks=all), from the producer's callback, so no request thread waits on Kafka. A reset of a per-user
 * counter is appended once to every partition, each of which holds some of the post's likers; it is durable when
 * every copy is.
 */
public final class EventPublisher implements AutoCloseable {

    /** Events appended durably: a folded event counts once, however many writes it carries. */
    public static final String ACCEPTED = "tally.events.accepted";

    private final Producer<String, CounterEvent> producer;
    private final KafkaClientMetrics producerMetrics;
    private final Counter accepted;
    private final String topic;
    private final CounterCatalog counters;
    private volatile int partitions;
    private volatile boolean connected;

    EventPublisher(Producer<String, CounterEvent> producer, String topic, CounterCatalog counters, MeterRegistry registry) {
        this.producer = producer;
        this.counters = counters;
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.accepted = Counter.builder(ACCEPTED).description("events appended to the event topic").register(registry);
        this.topic = topic;
    }

    /** With a producer of its own, configured for exactness ({@link IngestSettings#producerProperties()}). */
    public static EventPublisher of(IngestSettings settings, MeterRegistry registry) {
        return new EventPublisher(new KafkaProducer<>(settings.producerProperties(), PostKeys.SERDE.serializer(),
                new JsonSerde<>(CounterEvent.class)), settings.topics().events(), settings.counters(), registry);
    }

    /** Fetches the topic's metadata once, so that readiness means the cluster answered. */
    public EventPublisher connect() {
        partitions();
        connected = true;
        return this;
    }

    public boolean isConnected() {
        return connected;
    }

    /** Appends an event that asks for no answer: the processor writes nothing for it but its counts. */
    public CompletableFuture<RecordMetadata> publish(CounterEvent event) {
        return publish(event, null);
    }

    /** Appends an event whose processor reply goes to {@code replyTo} ({@link ReplyHeaders}); null for none. */
    public CompletableFuture<RecordMetadata> publish(CounterEvent event, WriteConfirmations.ReplyAddress replyTo) {
        try {
            RecordHeaders headers = new RecordHeaders();
            if (replyTo != null) {
                headers.add(ReplyHeaders.PARTITION, ReplyHeaders.utf8(Integer.toString(replyTo.partition())));
                headers.add(ReplyHeaders.INSTANCE, ReplyHeaders.utf8(replyTo.instanceId()));
            }
            int count = partitions();
            OptionalInt home = EventPlacement.partitionOf(event, counters.kindOf(event.counter()).orElseThrow(), count);
            if (home.isPresent()) {
                return send(event, home.getAsInt(), headers);
            }
            List<CompletableFuture<RecordMetadata>> copies = new ArrayList<>(count);
            for (int partition = 0; partition < count; partition++) {
                copies.add(send(event, partition, headers));
            }
            return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).thenApply(all -> copies.get(0).join());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The event topic's partition count, fetched once: events are placed by it. */
    private int partitions() {
        int known = partitions;
        if (known == 0) {
            known = producer.partitionsFor(topic).size();
            if (known == 0) {
                throw new IllegalStateException("the event topic " + topic + " has no partitions");
            }
            partitions = known;
        }
        return known;
    }

    private CompletableFuture<RecordMetadata> send(CounterEvent event, int partition, RecordHeaders headers) {
        CompletableFuture<RecordMetadata> appended = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, partition, event.timestamp().toEpochMilli(), PostKeys.key(event.postId()),
                            event, headers),
                    (metadata, error) -> {
                        if (error != null) {
                            appended.completeExceptionally(error);
                        } else {
                            accepted.increment();
                            appended.complete(metadata);
                        }
                    });
        } catch (RuntimeException e) {
            appended.completeExceptionally(e);
        }
        return appended;
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
