package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tally.app.support.SharedKafka;
import dev.tally.query.ChangelogTail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangelogTail} on a real broker's transactional log: what a standby copy at a given position holds of the
 * committed changes, with commit markers, an aborted transaction and an open one in the way.
 */
class ChangelogTailIntegrationTest {

    private final String bootstrap = SharedKafka.bootstrapServers();

    @Test
    void shouldCallACopyCaughtUpExactlyWhenNoCommittedRecordLiesBeyondItsPosition() throws Exception {
        TopicPartition changelog = new TopicPartition("tail-" + UUID.randomUUID() + "-counts-changelog", 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(changelog.topic(), 1, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer();
             KafkaConsumer<byte[], byte[]> reader = committedReader()) {
            ChangelogTail tail = new ChangelogTail(reader);
            producer.initTransactions();

            inTransaction(producer, changelog, 3);
            producer.commitTransaction(); // records 0-2, marker 3
            awaitStableEnd(reader, changelog, 4);
            assertThat(tail.caughtUp(Map.of(changelog, 0L))).containsEntry(changelog, false);
            assertThat(tail.caughtUp(Map.of(changelog, 2L))).as("record 2 not applied").containsEntry(changelog, false);
            assertThat(tail.caughtUp(Map.of(changelog, 3L))).as("only the marker beyond").containsEntry(changelog, true);

            inTransaction(producer, changelog, 2);
            producer.abortTransaction(); // aborted 4-5, marker 6
            awaitStableEnd(reader, changelog, 7);
            assertThat(tail.caughtUp(Map.of(changelog, 3L))).as("only an aborted transaction beyond")
                    .containsEntry(changelog, true);
            assertThat(tail.caughtUp(Map.of(changelog, 2L))).containsEntry(changelog, false);

            inTransaction(producer, changelog, 1); // record 7, still open: perhaps never committed
            assertThat(tail.caughtUp(Map.of(changelog, 3L))).as("an open transaction beyond")
                    .containsEntry(changelog, true);

            producer.commitTransaction(); // marker 8
            awaitStableEnd(reader, changelog, 9);
            assertThat(tail.caughtUp(Map.of(changelog, 3L))).as("record 7 committed").containsEntry(changelog, false);
            assertThat(tail.caughtUp(Map.of(changelog, 8L))).containsEntry(changelog, true);
        }
    }

    @Test
    void shouldCallACopyOfAnEmptyChangelogCaughtUp() throws Exception {
        TopicPartition changelog = new TopicPartition("tail-" + UUID.randomUUID() + "-likers-changelog", 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(changelog.topic(), 1, (short) 1))).all().get();
        }
        try (KafkaConsumer<byte[], byte[]> reader = committedReader()) {
            assertThat(new ChangelogTail(reader).caughtUp(Map.of(changelog, 0L))).containsEntry(changelog, true);
        }
    }

    /**
     * commitTransaction() and abortTransaction() return once the coordinator decided; the partition's marker, which
     * moves its last stable offset, follows. Until then the transaction is still open for a committed reader.
     */
    private static void awaitStableEnd(KafkaConsumer<byte[], byte[]> reader, TopicPartition changelog, long end) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> reader.endOffsets(List.of(changelog)).get(changelog) == end);
    }

    private static void inTransaction(KafkaProducer<byte[], byte[]> producer, TopicPartition changelog, int records)
            throws Exception {
        producer.beginTransaction();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(changelog.topic(), changelog.partition(), new byte[] {(byte) i}, new byte[8])).get();
        }
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tail-" + UUID.randomUUID());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> committedReader() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
