package dev.tally.ingest;

import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Appends events to the event topic, keyed by post id, batched by the producer. The returned future completes
 * when the append is durable (acks=all), from the producer's callback, so no request thread waits on Kafka.
 */
public final class EventPublisher implements AutoCloseable {

    /** Events appended durably: a folded event counts once, however many writes it carries. */
    public static final String ACCEPTED = "tally.events.accepted";

    private final Producer<String, CounterEvent> producer;
    private final KafkaClientMetrics producerMetrics;
    private final Counter accepted;
    private final String topic;
    private volatile boolean connected;

    EventPublisher(Producer<String, CounterEvent> producer, String topic, MeterRegistry registry) {
        this.producer = producer;
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.accepted = Counter.builder(ACCEPTED).description("events appended to the event topic").register(registry);
        this.topic = topic;
    }

    /** With a producer of its own, configured for exactness ({@link IngestSettings#producerProperties()}). */
    public static EventPublisher of(IngestSettings settings, MeterRegistry registry) {
        return new EventPublisher(new KafkaProducer<>(settings.producerProperties(), PostKeys.SERDE.serializer(),
                new JsonSerde<>(CounterEvent.class)), settings.topics().events(), registry);
    }

    /** Fetches the topic's metadata once, so that readiness means the cluster answered. */
    public EventPublisher connect() {
        producer.partitionsFor(topic);
        connected = true;
        return this;
    }

    public boolean isConnected() {
        return connected;
    }

    public CompletableFuture<RecordMetadata> publish(CounterEvent event) {
        CompletableFuture<RecordMetadata> appended = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, null, event.timestamp().toEpochMilli(), PostKeys.key(event.postId()), event),
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
