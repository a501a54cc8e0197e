package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class EventPublisherTest {

    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

    private final MockProducer<String, CounterEvent> producer = new MockProducer<>(false, null,
            PostKeys.SERDE.serializer(), new JsonSerde<>(CounterEvent.class));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventPublisher publisher = new EventPublisher(producer, "counter-events", registry);

    @Test
    void shouldKeyEachEventByItsPostAndStampItWithTheEventTime() {
        CounterEvent like = new CounterEvent(UUID.randomUUID(), 42, "likes", Action.INCREMENT, 7L, null, AT);
        publisher.publish(like);

        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("counter-events");
            assertThat(record.key()).isEqualTo("42");
            assertThat(record.timestamp()).isEqualTo(AT.toEpochMilli());
            assertThat(record.value()).isEqualTo(like);
        });
    }

    @Test
    void shouldCompleteOnlyWhenKafkaAcknowledgedTheAppend() {
        CompletableFuture<RecordMetadata> first = publisher.publish(view());
        CompletableFuture<RecordMetadata> second = publisher.publish(view());
        assertThat(first).isNotDone();

        producer.completeNext();
        producer.errorNext(new TimeoutException("no leader"));

        assertThat(first).isCompleted();
        assertThat(second).isCompletedExceptionally();
        assertThat(registry.get(EventPublisher.ACCEPTED).counter().count()).isEqualTo(1);
    }

    private static CounterEvent view() {
        return new CounterEvent(UUID.randomUUID(), 1, "views", Action.INCREMENT, null, null, AT);
    }
}
