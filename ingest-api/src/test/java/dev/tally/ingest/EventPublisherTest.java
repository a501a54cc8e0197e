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

    private final MockProducer<String, CounterEvent> producer = MockEventTopic.producer(false);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventPublisher publisher = new EventPublisher(producer, MockEventTopic.TOPIC, MockEventTopic.COUNTERS, registry);

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

    @Test
    void shouldPlaceALikeByPostAndUserAViewByPostAndAResetOfLikesOnEveryPartition() {
        for (long user = 1; user <= 50; user++) {
            publisher.publish(new CounterEvent(UUID.randomUUID(), 42, "likes", Action.INCREMENT, user, null, AT));
        }
        publisher.publish(view());
        CounterEvent reset = new CounterEvent(UUID.randomUUID(), 42, "likes", Action.RESET, null, "r-1", AT);
        CompletableFuture<RecordMetadata> resetDone = publisher.publish(reset);

        var sent = producer.history();
        for (int i = 0; i < 50; i++) {
            assertThat(sent.get(i).partition()).isEqualTo(PostKeys.partition(42, i + 1, MockEventTopic.PARTITIONS));
            assertThat(sent.get(i).key()).as("still keyed by post").isEqualTo("42");
        }
        assertThat(sent.subList(0, 50).stream().map(r -> r.partition()).distinct().count())
                .as("one post's likes spread over partitions").isGreaterThan(6);
        assertThat(sent.get(50).partition()).isEqualTo(PostKeys.partition(1, MockEventTopic.PARTITIONS));
        assertThat(sent.subList(51, sent.size())).extracting(r -> r.partition())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, MockEventTopic.PARTITIONS).boxed().toList());
        assertThat(sent.subList(51, sent.size())).extracting(r -> r.value()).containsOnly(reset);

        for (int i = 0; i < 51 + MockEventTopic.PARTITIONS - 1; i++) {
            producer.completeNext();
        }
        assertThat(resetDone).as("a reset is durable only when every copy is").isNotDone();
        producer.completeNext();
        assertThat(resetDone).isCompleted();
    }

    private static CounterEvent view() {
        return new CounterEvent(UUID.randomUUID(), 1, "views", Action.INCREMENT, null, null, AT);
    }
}
