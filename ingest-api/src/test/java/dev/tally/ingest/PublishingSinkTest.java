package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.ReplyHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The routed write answer: a writer that waits names this instance's replies partition and instance id in the
 * event's headers and is answered by the reply that comes back there; a writer that does not wait names nothing;
 * a reply meant for another instance (its partition moved here) answers nobody.
 */
class PublishingSinkTest {

    private static final String REPLIES = "counter-replies";
    private static final TopicPartition P3 = new TopicPartition(REPLIES, 3);
    private static final TopicPartition P5 = new TopicPartition(REPLIES, 5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockProducer<String, CounterEvent> producer = MockEventTopic.producer(true);
    private final MockConsumer<String, CounterUpdate> consumer = new MockConsumer<>("latest");
    private final WriteConfirmations confirmations = new WriteConfirmations(consumer, REPLIES, registry);
    private final PublishingSink sink = new PublishingSink(new EventPublisher(producer, MockEventTopic.TOPIC, MockEventTopic.COUNTERS, registry),
            confirmations, Duration.ofMillis(500));
    private long offset;

    @AfterEach
    void close() {
        confirmations.close();
    }

    private void own(TopicPartition... partitions) {
        consumer.updateBeginningOffsets(java.util.Arrays.stream(partitions).collect(
                java.util.stream.Collectors.toMap(p -> p, p -> 0L)));
        consumer.updateEndOffsets(java.util.Arrays.stream(partitions).collect(
                java.util.stream.Collectors.toMap(p -> p, p -> 0L)));
        confirmations.start();
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(partitions)));
        if (partitions.length > 0) {
            // Ready only with a partition to be answered on; owning none, it answers 202 whether it joined or not.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(confirmations::isReady);
        }
    }

    private static CounterEvent like(long user) {
        return new CounterEvent(UUID.randomUUID(), 42, "likes", Action.INCREMENT, user, null, Instant.now());
    }

    private void reply(TopicPartition partition, CounterEvent event, String instance, long count) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ReplyHeaders.PARTITION, ReplyHeaders.utf8(Integer.toString(partition.partition())));
        headers.add(ReplyHeaders.INSTANCE, ReplyHeaders.utf8(instance));
        CounterUpdate update = new CounterUpdate(42, "likes", count, Instant.now(), event.eventId(), true);
        long at = offset++;
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(REPLIES, partition.partition(), at, 0L,
                TimestampType.CREATE_TIME, 0, 0, "42", update, headers, java.util.Optional.empty())));
    }

    private String sentInstance() {
        return ReplyHeaders.text(producer.history().get(producer.history().size() - 1).headers(), ReplyHeaders.INSTANCE)
                .orElseThrow();
    }

    @Test
    void shouldNameTheLowestOwnedPartitionAndAnswerWithTheReplyAddressedToThisInstance() {
        own(P5, P3);
        CounterEvent event = like(7);
        CompletableFuture<WriteOutcome> outcome = sink.write(event, EventSink.Wait.COUNTED);

        ProducerRecord<String, CounterEvent> sent = producer.history().get(0);
        assertThat(ReplyHeaders.partition(sent.headers(), ReplyHeaders.PARTITION)).contains(3);
        reply(P3, event, sentInstance(), 9);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(outcome::isDone);
        assertThat(outcome.join()).isInstanceOfSatisfying(WriteOutcome.Counted.class,
                counted -> assertThat(counted.update().count()).isEqualTo(9));
    }

    @Test
    void shouldNameNoReplyPartitionForAWriterThatDoesNotWait() {
        own(P3);
        CompletableFuture<WriteOutcome> outcome = sink.write(like(7), EventSink.Wait.DURABLE);
        assertThat(outcome.join()).isInstanceOf(WriteOutcome.Accepted.class);
        assertThat(producer.history().get(0).headers().toArray()).isEmpty();
    }

    @Test
    void shouldAnswerAcceptedWhenTheReplyReachesThePartitionAfterItMovedToAnotherInstance() {
        own(P3);
        CounterEvent event = like(7);
        CompletableFuture<WriteOutcome> outcome = sink.write(event, EventSink.Wait.COUNTED);
        reply(P3, event, "another-instance", 9);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                registry.get(WriteConfirmations.FOREIGN).counter().count() == 1);
        assertThat(outcome.join()).isInstanceOf(WriteOutcome.Accepted.class);
    }

    @Test
    void shouldAnswerAcceptedWithoutAReplyPartitionWhileThisInstanceOwnsNone() {
        own();
        CompletableFuture<WriteOutcome> outcome = sink.write(like(7), EventSink.Wait.COUNTED);
        assertThat(outcome.join()).isInstanceOf(WriteOutcome.Accepted.class);
        assertThat(producer.history().get(0).headers().toArray()).isEmpty();
    }
}
