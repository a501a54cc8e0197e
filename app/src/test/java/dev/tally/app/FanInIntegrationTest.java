package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.EventStream;
import dev.tally.app.support.Http;
import dev.tally.app.support.NodeMeters;
import dev.tally.app.support.SharedKafka;
import dev.tally.app.support.TallyFixture;
import dev.tally.schemas.TopicNames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fan-in, measured: two ingest instances and two processor (query and live) instances, 1,000 posts, 10,000 writes
 * over both ingest instances, streams open on 3 posts on processor A only. What each instance read comes from its
 * own consumers' {@code records-consumed-total}; what the processor wrote, from the topics' end offsets. Before
 * routed answers and pushes, every one of the four instances read one update per applied event (10,000 each).
 */
@Tag("integration")
class FanInIntegrationTest {

    private static final int PARTITIONS = 12;
    private static final int POSTS = 1000;
    private static final List<Long> WATCHED = List.of(1L, 2L, 3L);
    /** Per partition, replies that may have been addressed elsewhere while the group settled: none are expected. */
    private static final int SLACK_PER_PARTITION = 1;

    @Test
    void shouldLetEachInstanceReadOnlyTheRepliesAndChangesAddressedToIt() throws Exception {
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_PARTITIONS", Integer.toString(PARTITIONS)));
             Admin admin = Admin.create(tally.settings().kafka().properties())) {
            TopicNames topics = tally.settings().topics();
            TallyNode ingestA = tally.start("ingest-a", EnumSet.of(Role.INGEST));
            TallyNode ingestB = tally.start("ingest-b", EnumSet.of(Role.INGEST));
            TallyNode liveA = tally.start("live-a", EnumSet.of(Role.PROCESSOR));
            TallyNode liveB = tally.start("live-b", EnumSet.of(Role.PROCESSOR));
            List<TallyNode> ingests = List.of(ingestA, ingestB);
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> List.of(ingestA, ingestB, liveA, liveB).stream()
                    .allMatch(node -> new Http(node.port()).get("/health/ready").status() == 200));

            List<EventStream> streams = WATCHED.stream()
                    .map(post -> EventStream.open(liveA.port(), "/v1/" + post + "/stream")).toList();
            try {
                // Watching starts once a write to each watched post reaches its stream through the processor.
                for (long post : WATCHED) {
                    assertThat(new Http(ingestA.port()).put("/v1/" + post + "/likes",
                            "{\"action\":\"increment\",\"user_id\":" + (1_000_000 + post) + "}").status()).isIn(200, 202);
                }
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> streams.forEach(stream -> {
                    assertThat(stream.last()).isNotNull();
                    assertThat(stream.last().data().get("likes").asLong()).isEqualTo(1);
                }));
                awaitProcessed(admin, tally, topics);

                // 6,000 writes that wait for nothing: async PUTs and batches, on posts nobody watches.
                Map<TopicPartition, Long> repliesBefore = endOffsets(admin, topics.replies());
                Map<TopicPartition, Long> changesBefore = endOffsets(admin, topics.changes());
                ExecutorService clients = Executors.newFixedThreadPool(48);
                AtomicInteger user = new AtomicInteger();
                CompletableFuture.allOf(IntStream.range(0, 2000).mapToObj(i -> CompletableFuture.runAsync(() -> {
                    Http via = new Http(ingests.get(i % 2).port());
                    long post = 101 + i % (POSTS - 100);
                    assertThat(via.put("/v1/" + post + "/likes", "{\"action\":\"increment\",\"user_id\":" + user.incrementAndGet() + "}",
                            Map.of("Content-Type", "application/json", "Prefer", "respond-async")).status()).isEqualTo(202);
                }, clients)).toArray(CompletableFuture[]::new)).join();
                for (int batch = 0; batch < 4; batch++) {
                    String events = IntStream.range(0, 1000).mapToObj(i -> "{\"post_id\":" + (101 + i % (POSTS - 100))
                                    + ",\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":" + user.incrementAndGet() + "}")
                            .collect(Collectors.joining(",", "{\"events\":[", "]}"));
                    Http via = new Http(ingests.get(batch % 2).port());
                    Http.Answer answer = via.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingests.get(batch % 2).port() + "/v1/events"))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(events)));
                    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                }
                awaitProcessed(admin, tally, topics);
                assertThat(endOffsets(admin, topics.replies())).as("async and batch writes: no reply records").isEqualTo(repliesBefore);
                // The watched posts' own changes from before may still be on their way; nothing else may be there.
                assertThat(keysBetween(changesBefore, endOffsets(admin, topics.changes())))
                        .as("unwatched posts: no change records").allMatch(key -> WATCHED.contains(Long.parseLong(key)));

                // 4,000 read-your-writes PUTs, 2,000 on each ingest instance, on every post, the watched ones included.
                long[] consumedBefore = ingests.stream().mapToLong(node -> NodeMeters.inboxRecordsConsumed(node, topics.replies())).toArray();
                long changesReadBefore = NodeMeters.inboxRecordsConsumed(liveA, topics.changes());
                AtomicInteger[] counted = {new AtomicInteger(), new AtomicInteger()};
                long started = System.nanoTime();
                CompletableFuture.allOf(IntStream.range(0, 4000).mapToObj(i -> CompletableFuture.runAsync(() -> {
                    Http via = new Http(ingests.get(i % 2).port());
                    long post = 1 + i % POSTS;
                    Http.Answer answer = via.put("/v1/" + post + "/likes", "{\"action\":\"increment\",\"user_id\":" + user.incrementAndGet() + "}");
                    assertThat(answer.status()).as(answer.body()).isIn(200, 202);
                    if (answer.status() == 200) {
                        counted[i % 2].incrementAndGet();
                    }
                }, clients)).toArray(CompletableFuture[]::new)).join();
                clients.shutdown();
                awaitProcessed(admin, tally, topics);
                double seconds = (System.nanoTime() - started) / 1e9;

                long replies = keysBetween(repliesBefore, endOffsets(admin, topics.replies())).size();
                assertThat(replies).as("one reply per read-your-writes PUT, none for anything else").isEqualTo(4000);
                for (int i = 0; i < 2; i++) {
                    long read = NodeMeters.inboxRecordsConsumed(ingests.get(i), topics.replies()) - consumedBefore[i];
                    assertThat(read).as("ingest %d read its own 2,000 replies, and no one else's", i)
                            .isGreaterThanOrEqualTo(counted[i].get())
                            .isLessThanOrEqualTo(2000 + (long) SLACK_PER_PARTITION * PARTITIONS);
                    System.out.printf("fan-in: ingest %d read %d replies for 2000 waiting writes (%d answered 200) of 10000 (before: 10000)%n",
                            i, read, counted[i].get());
                }
                long changesRead = NodeMeters.inboxRecordsConsumed(liveA, topics.changes()) - changesReadBefore;
                long commits = (long) Math.ceil(seconds * 1000 / tally.settings().processor().commitInterval().toMillis()) + 2;
                // That the changes did arrive is shown below by the streams, whose last events equal the reads:
                // the consumer's records-consumed meter can lag a scan behind on a busy machine.
                assertThat(changesRead).as("live A: at most one change per watched post and commit")
                        .isLessThanOrEqualTo(WATCHED.size() * commits);
                assertThat(NodeMeters.inboxRecordsConsumed(liveB, topics.changes())).as("live B watches nothing").isZero();
                System.out.printf("fan-in: live A read %d changes for 3 watched posts in %.1f s; live B read %d (before: 10000 each)%n",
                        changesRead, seconds, NodeMeters.inboxRecordsConsumed(liveB, topics.changes()));

                Http read = new Http(liveB.port());
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (int i = 0; i < WATCHED.size(); i++) {
                        assertThat(streams.get(i).last()).isNotNull();
                        assertThat(streams.get(i).last().data()).isEqualTo(read.get("/v1/" + WATCHED.get(i)).json());
                    }
                });
                long total = IntStream.rangeClosed(1, POSTS).mapToLong(post -> read.get("/v1/" + post + "/likes").json().get("count").asLong()).sum();
                assertThat(total).isEqualTo(3 + 10_000);
            } finally {
                streams.forEach(EventStream::close);
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * The keys of the records written between two end-offset snapshots, as a read_committed consumer gets them
     * (each exactly-once commit also takes an offset for its marker, which is no record).
     */
    private static List<String> keysBetween(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
        Map<String, Object> props = Map.of("bootstrap.servers", SharedKafka.bootstrapServers(),
                "isolation.level", "read_committed", "enable.auto.commit", "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>(after.keySet());
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, before.get(p)));
            List<String> keys = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> keys.add(record.key()));
                return partitions.stream().allMatch(p -> consumer.position(p) >= after.get(p));
            });
            return keys;
        }
    }

    /** Until the processor group has committed every event appended so far. */
    private static void awaitProcessed(Admin admin, TallyFixture tally, TopicNames topics) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<TopicPartition, Long> end = endOffsets(admin, topics.events());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                    tally.settings().processor().applicationId()).partitionsToOffsetAndMetadata().get();
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
        });
    }
}
