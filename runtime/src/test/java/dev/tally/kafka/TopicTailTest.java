package dev.tally.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class TopicTailTest {

    private static final String TOPIC = "counter-updates";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final MockConsumer<String, String> consumer = new MockConsumer<>("latest");
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @Test
    void shouldHandEveryRecordAfterTheEndItStartedFromOnEveryPartition() {
        Node node = new Node(1, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(
                new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node}),
                new PartitionInfo(TOPIC, 1, node, new Node[] {node}, new Node[] {node})));
        consumer.updateEndOffsets(Map.of(P0, 5L, P1, 2L));

        try (TopicTail<String> tail = new TopicTail<>(consumer, TOPIC, record -> seen.add(record.value())).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(tail::isReady);
            assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);
            assertThat(consumer.position(P0)).isEqualTo(5);

            consumer.schedulePollTask(() -> {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 5, "7", "first"));
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 2, "8", "second"));
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            assertThat(seen).containsExactlyInAnyOrder("first", "second");
        }
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void shouldKeepFollowingWhenTheHandlerFailsOnARecord() {
        Node node = new Node(1, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateEndOffsets(Map.of(P0, 0L));

        try (TopicTail<String> tail = new TopicTail<>(consumer, TOPIC, record -> {
            if (record.value().equals("poison")) {
                throw new IllegalStateException("cannot handle");
            }
            seen.add(record.value());
        }).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(tail::isReady);
            consumer.schedulePollTask(() -> {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "1", "poison"));
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "1", "after"));
            });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("after"));
            assertThat(tail.isReady()).isTrue();
        }
    }
}
