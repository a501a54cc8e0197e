package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.schemas.DeadLetterHeaders;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.ReplyHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Poison written straight to the event topic by a producer that is not ingest, on a running tally: each record is
 * refused into the dead-letter topic with its reason, counted in the refused-events metric, and nothing it
 * carries reaches a count, an Idempotency-Key's memory or a read, before or after the processor restarts.
 */
@Tag("integration")
class PoisonEventsIntegrationTest {

    private static final long POST = 4242;
    private static final long OTHER_POST = 4243;
    private static final String INCREMENT = "{\"action\":\"increment\"}";

    private TallyFixture tally;
    private TallyNode node;
    private Http http;

    /** One record a foreign producer writes, and what its dead letter's reason must say. */
    private record Poison(ProducerRecord<byte[], byte[]> record, String reason) {
    }

    @BeforeEach
    void start() {
        tally = TallyFixture.create();
        node = tally.start("node");
        http = new Http(node.port());
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    @Test
    void shouldRefuseEveryPoisonEventIntoTheDeadLetterTopicAndKeepCountsDedupAndReadsExact() throws Exception {
        JsonNode liked = write("/v1/" + POST + "/likes", "{\"action\":\"increment\",\"user_id\":1}", "liked-before");
        JsonNode viewed = write("/v1/" + POST + "/views", INCREMENT, "viewed-before");
        assertThat(write("/v1/" + POST + "/views", INCREMENT, null).get("count").asLong()).isEqualTo(2);

        List<Poison> poisons = poisons();
        Map<String, Poison> sent = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            for (Poison poison : poisons) {
                RecordMetadata appended = producer.send(poison.record()).get(30, TimeUnit.SECONDS);
                sent.put(appended.partition() + "@" + appended.offset(), poison);
            }
            assertThatTheBrokerRefusesACreateTimeFarInTheFuture(producer);
        }

        Map<String, ConsumerRecord<byte[], byte[]>> letters = awaitDeadLetters(sent.size());
        assertThat(letters.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        sent.forEach((origin, poison) -> {
            ConsumerRecord<byte[], byte[]> letter = letters.get(origin);
            assertThat(header(letter, DeadLetterHeaders.REASON)).as(origin).contains(poison.reason());
            assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(tally.settings().topics().events());
            assertThat(letter.key()).isEqualTo(poison.record().key());
            assertThat(letter.value()).isEqualTo(poison.record().value());
        });
        assertThat(node.refusedEvents()).isEqualTo(poisons.size());

        assertThatCountsAndDedupAreExact(liked, viewed, 2);
        assertThat(write("/v1/" + POST + "/views", INCREMENT, "viewed-after").get("count").asLong()).isEqualTo(3);

        // After a restart, on the same state: what was acknowledged, before the poison or after, is still known.
        tally.stop(node);
        node = tally.start("node");
        http = new Http(node.port());
        assertThatCountsAndDedupAreExact(liked, viewed, 3);
        assertThat(write("/v1/" + POST + "/views", INCREMENT, "viewed-after").get("count").asLong()).isEqualTo(3);
        assertThat(write("/v1/" + POST + "/views", INCREMENT, null).get("count").asLong()).isEqualTo(4);
    }

    /**
     * A like written on its post's partition, as tally 0.1 placed likes or a foreign producer might, is moved to the
     * partition of its post and user and counted there once; one that was moved already and is still misplaced
     * (the partition count changed under it) is refused.
     */
    @Test
    void shouldMoveALikeFromItsPostsPartitionToItsOwnAndCountItOnce() throws Exception {
        String events = tally.settings().topics().events();
        int partitions = tally.settings().partitions();
        int postPartition = PostKeys.partition(POST, partitions);
        long user = java.util.stream.LongStream.rangeClosed(1, 100)
                .filter(u -> PostKeys.partition(POST, u, partitions) != postPartition).findFirst().orElseThrow();
        int likePartition = PostKeys.partition(POST, user, partitions);
        String like = event(POST, "likes", "\"action\":\"increment\",\"user_id\":" + user, Instant.now());
        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            producer.send(new ProducerRecord<>(events, postPartition, key(POST), utf8(like))).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(events, postPartition, key(POST), utf8(like))).get(30, TimeUnit.SECONDS);
            ProducerRecord<byte[], byte[]> movedAlready = new ProducerRecord<>(events, postPartition, key(POST),
                    utf8(event(POST, "likes", "\"action\":\"increment\",\"user_id\":" + user, Instant.now())));
            movedAlready.headers().add(ReplyHeaders.PLACED_PARTITION, utf8(Integer.toString(postPartition)));
            producer.send(movedAlready).get(30, TimeUnit.SECONDS);
        }

        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> http.get("/v1/" + POST + "/likes").json().get("count").asLong() == 1);
        assertThat(http.get("/v1/" + POST + "/likes/users/" + user).json().get("liked").asBoolean()).isTrue();
        Map<String, ConsumerRecord<byte[], byte[]>> letters = awaitDeadLetters(1);
        assertThat(letters).hasSize(1);
        assertThat(header(letters.values().iterator().next(), DeadLetterHeaders.REASON))
                .contains("moved to partition " + postPartition);
        assertThat(committedRecords(new TopicPartition(events, likePartition)))
                .as("both copies of the like, moved to the partition of its post and user")
                .extracting(record -> header(record, ReplyHeaders.PLACED_PARTITION))
                .containsExactly(Integer.toString(likePartition), Integer.toString(likePartition));
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> http.get("/v1/" + POST + "/likes").json().get("count").asLong() == 1);
    }

    /** Slow: Micrometer looks for new Kafka metrics once a minute, and the sensor is born with the first task. */
    @Test
    @Tag("slow")
    void shouldShowRefusedEventsOnTheMetricsPage() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            producer.send(poison(tally.settings().topics().events(), POST, "{not json", "").record()).get(30, TimeUnit.SECONDS);
        }
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                http.get("/metrics").body().lines().anyMatch(line ->
                        line.startsWith("kafka_stream_tally_refused_events_total{") && line.endsWith(" 1.0")));
    }

    private List<Poison> poisons() {
        String events = tally.settings().topics().events();
        Instant now = Instant.now();
        Instant farFuture = Instant.parse("2099-01-01T00:00:00Z");
        Instant withinBrokerLimit = now.plus(Duration.ofMinutes(50));
        List<Poison> poisons = new ArrayList<>();
        poisons.add(poison(events, POST, "{not json", "not a counter event"));
        poisons.add(poison(events, POST, "[1,2,3]", "not a counter event"));
        poisons.add(poison(events, POST, null, "the record has no value (a tombstone)"));
        poisons.add(poison(events, POST, event(POST, "views", "\"action\":\"double\"", now),
                "action must be one of increment, decrement, reset; got double"));
        poisons.add(poison(events, POST, event(-POST, "views", "\"action\":\"increment\"", now), "post_id must be positive"));
        poisons.add(poison(events, POST, event(POST, "comments", "\"action\":\"increment\"", now), "unknown counter \"comments\""));
        poisons.add(poison(events, POST, event(POST, "likes", "\"action\":\"increment\"", now),
                "likes counts each user once; user_id is required"));
        poisons.add(poison(events, POST, event(POST, "views", "\"action\":\"decrement\"", now), "views only counts up"));
        poisons.add(poison(events, POST, event(POST, "views", "\"action\":\"increment\",\"amount\":9223372036854775807", now),
                "amount must be from 1 to 1000000"));
        poisons.add(poison(events, POST, event(POST, "views",
                "\"action\":\"increment\",\"idempotency_key\":\"" + "k".repeat(500_000) + "\"", now), "event is 500"));
        poisons.add(poison(events, POST, event(POST, "views",
                "\"action\":\"increment\",\"padding\":\"" + "x".repeat(500_000) + "\"", now), "event is 500"));
        poisons.add(poison(events, POST, event(POST, "views", "\"action\":\"increment\",\"weight\":2", now),
                "unknown field \"weight\""));
        poisons.add(poison(events, OTHER_POST, event(POST, "views", "\"action\":\"increment\"", now),
                "record key \"" + OTHER_POST + "\" is not the post id " + POST));
        poisons.add(poison(events, POST, event(POST, "views",
                "\"action\":\"increment\",\"idempotency_key\":\"from-2099\"", farFuture), "timestamp 2099-01-01T00:00:00Z"));
        // Both timestamps forged ahead, within what the broker accepts: the processor's clock refuses it.
        poisons.add(new Poison(new ProducerRecord<>(events, null, withinBrokerLimit.toEpochMilli(), key(POST),
                utf8(event(POST, "views", "\"action\":\"increment\",\"idempotency_key\":\"ahead\"", withinBrokerLimit))),
                "or the processor's clock"));
        return poisons;
    }

    private void assertThatTheBrokerRefusesACreateTimeFarInTheFuture(KafkaProducer<byte[], byte[]> producer) {
        Instant farFuture = Instant.parse("2099-01-01T00:00:00Z");
        ProducerRecord<byte[], byte[]> forged = new ProducerRecord<>(tally.settings().topics().events(), null,
                farFuture.toEpochMilli(), key(POST), utf8(event(POST, "views", "\"action\":\"increment\"", farFuture)));
        assertThatThrownBy(() -> producer.send(forged).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidTimestampException.class);
    }

    /** Counts, the first answers of acknowledged keys, the feed and the post read all exact. */
    private void assertThatCountsAndDedupAreExact(JsonNode liked, JsonNode viewed, long views) {
        assertThat(write("/v1/" + POST + "/likes", "{\"action\":\"increment\",\"user_id\":1}", "liked-before"))
                .isEqualTo(liked);
        assertThat(write("/v1/" + POST + "/views", INCREMENT, "viewed-before")).isEqualTo(viewed);
        JsonNode post = http.get("/v1/" + POST).json();
        assertThat(post.get("views").asLong()).isEqualTo(views);
        assertThat(post.get("likes").asLong()).isEqualTo(1);
        JsonNode feed = http.get("/v1/counters?post_ids=" + POST + "," + OTHER_POST).json().get("counters");
        assertThat(feed.get(0).get("views").asLong()).isEqualTo(views);
        assertThat(feed.get(1).get("views").asLong()).as("the key-mismatched event counted nowhere").isZero();
        assertThat(http.get("/v1/" + POST + "/views").json().get("count").asLong()).isEqualTo(views);
    }

    /** A write through ingest, answered 200 with its count. */
    private JsonNode write(String path, String body, String idempotencyKey) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        Http.Answer answer = http.put(path, body, headers);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    /** Every committed record of one partition, from its start (transaction markers take offsets, not records). */
    private List<ConsumerRecord<byte[], byte[]>> committedRecords(TopicPartition partition) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private Map<String, ConsumerRecord<byte[], byte[]>> awaitDeadLetters(int expected) {
        Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        String topic = tally.settings().topics().deadLetters();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letter -> letters.put(
                        header(letter, DeadLetterHeaders.PARTITION) + "@" + header(letter, DeadLetterHeaders.OFFSET), letter));
                return letters.size() >= expected;
            });
            // Nothing more than one dead letter per poison record: a last poll finds no duplicate.
            consumer.poll(Duration.ofMillis(500)).forEach(letter -> letters.put("extra@" + letter.offset(), letter));
        }
        return letters;
    }

    private static Poison poison(String topic, long keyPost, String value, String reason) {
        return new Poison(new ProducerRecord<>(topic, key(keyPost), value == null ? null : utf8(value)), reason);
    }

    private static String event(long postId, String counter, String fields, Instant at) {
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"post_id\":" + postId + ",\"counter\":\"" + counter + "\","
                + fields + ",\"timestamp\":\"" + at + "\"}";
    }

    private KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                // A retried send after InvalidTimestampException must not stall the next: each poison is on its own.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] key(long postId) {
        return utf8(Long.toString(postId));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
