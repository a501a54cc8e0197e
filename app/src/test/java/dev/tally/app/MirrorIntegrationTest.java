package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.Counts;
import dev.tally.app.support.Http;
import dev.tally.app.support.MirrorProcess;
import dev.tally.app.support.SharedKafka;
import dev.tally.app.support.TallyFixture;
import dev.tally.app.support.TempDirs;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.ReplyHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two regions, each its own single-node cluster in this JVM (east: the shared broker, west: one of its own) with a
 * tally node (ingest and processor), and {@code ./tally mirror} of each region in a JVM of its own on the mirror
 * module's Kafka 4.3.1 class path, bringing the other region's {@code counter-events} home:
 * <pre>
 *   east cluster                                              west cluster
 *   r-counter-events ──── mirror of west (west's JVM) ──────▶ east.r-counter-events
 *   west.r-counter-events ◀── mirror of east (east's JVM) ─── r-counter-events
 * </pre>
 * A view written in one region is counted in the other, within a bound (the figures go to
 * {@code target/mirror-report.txt}); the mirror SIGKILLed in the middle of copying a large batch and started again
 * copies no event twice, counted by event id in what west's cluster holds, and both regions end with exact counts.
 * And the design's partition test: with both mirrors stopped each region shows only its own writes, and once they
 * run again both show the same exact totals.
 */
@Tag("integration")
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MirrorIntegrationTest {

    private static final int BATCH = 60_000;
    private static final int BATCH_POSTS = 600;
    private static final long FIRST_BATCH_POST = 5_001;
    private static final int CROSSINGS = 10;
    /** Generous: the two cores are shared by two brokers, two tally nodes, two mirrors and other builds. */
    private static final Duration CROSSING_BOUND = Duration.ofSeconds(30);
    private static final Path REPORT = Path.of("target", "mirror-report.txt");

    private final String prefix = "r" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private Path westDir;
    private EmbeddedKafka westKafka;
    private TallyFixture east;
    private TallyFixture west;
    private TallyNode eastNode;
    private TallyNode westNode;
    private MirrorProcess intoEast;
    private MirrorProcess intoWest;

    @BeforeAll
    void start() throws IOException {
        westDir = TempDirs.create("tally-west-kafka");
        westKafka = EmbeddedKafka.start(westDir, SharedKafka.freePort(), SharedKafka.freePort());
        east = TallyFixture.on(SharedKafka.bootstrapServers(), regionEnv("east", "west"));
        west = TallyFixture.on(westKafka.bootstrapServers(), regionEnv("west", "east"));
        eastNode = east.start("east-1");
        westNode = west.start("west-1");
        long started = System.nanoTime();
        intoEast = MirrorProcess.start("into-east", mirrorEnv("east", "west"));
        intoWest = MirrorProcess.start("into-west", mirrorEnv("west", "east"));
        // The first crossing waits for MirrorMaker's start: its workers join their groups and start the connectors.
        assertThat(viewIn(eastNode, 1).get("count").asLong()).isEqualTo(1);
        assertThat(viewIn(westNode, 2).get("count").asLong()).isEqualTo(1);
        await(Duration.ofMinutes(2)).until(() -> views(westNode, 1) == 1 && views(eastNode, 2) == 1);
        report("both mirrors started to both views crossed: %d ms", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable part : new AutoCloseable[] {intoEast, intoWest, east, west, westKafka}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // stop the others all the same
            }
        }
        TempDirs.deleteRecursively(westDir);
    }

    private Map<String, String> regionEnv(String region, String peer) {
        return Map.of("TALLY_REGION", region, "TALLY_PEER_REGIONS", peer, "TALLY_TOPIC_PREFIX", prefix);
    }

    private Map<String, String> mirrorEnv(String region, String peer) {
        return Map.of("TALLY_REGION", region, "TALLY_PEER_REGIONS", peer, "TALLY_TOPIC_PREFIX", prefix,
                "TALLY_MIRROR_CLUSTERS", "east=" + SharedKafka.bootstrapServers() + ",west=" + westKafka.bootstrapServers());
    }

    @Test
    void shouldCountAViewWrittenInEitherRegionInTheOtherWithinSecondsWithoutItsReplyAddress() throws Exception {
        List<Long> eastToWest = crossings(eastNode, westNode, 101);
        List<Long> westToEast = crossings(westNode, eastNode, 201);
        report("view written in one region to counted in the other, ms (%d each way): east->west %s, west->east %s",
                CROSSINGS, eastToWest, westToEast);
        assertThat(eastToWest).allSatisfy(millis -> assertThat(millis).isLessThan(CROSSING_BOUND.toMillis()));
        assertThat(westToEast).allSatisfy(millis -> assertThat(millis).isLessThan(CROSSING_BOUND.toMillis()));
        assertThat(views(eastNode, 101)).as("counted once in its own region too").isEqualTo(1);

        // Each write waited for its count, so its event carried a reply address; the copy carries none.
        List<ConsumerRecord<String, CounterEvent>> copies = readAll(westKafka.bootstrapServers(),
                west.settings().topics().mirroredEvents("east"), "read_committed");
        List<ConsumerRecord<String, CounterEvent>> crossed = copies.stream()
                .filter(record -> record.value().postId() >= 101 && record.value().postId() < 101 + CROSSINGS).toList();
        assertThat(crossed).hasSize(CROSSINGS).allSatisfy(record -> {
            assertThat(record.headers().lastHeader(ReplyHeaders.PARTITION)).isNull();
            assertThat(record.headers().lastHeader(ReplyHeaders.INSTANCE)).isNull();
        });
    }

    /**
     * Writes a view of one new post at a time in {@code from}; the time from sending it to its count in {@code to}
     * (its own region's append, commit and answer included).
     */
    /**
     * The design's partition test: the regions are cut apart (both mirrors stopped), each takes writes of the same
     * post — likes, an unlike in one region of a user who liked in the other, views, and an Idempotency-Key a client
     * retried in the other region after failing over — and shows only its own; then the link heals (the mirrors
     * start again) and both regions show the same, exact totals. The figures go to the report.
     */
    @Test
    void shouldShowOnlyLocalWritesDuringAPartitionAndTheSameExactTotalsAfterItHeals() throws Exception {
        long post = 9_001;
        intoEast.close();
        intoWest.close();
        long isolated = System.nanoTime();

        Http eastHttp = new Http(eastNode.port());
        Http westHttp = new Http(westNode.port());
        like(eastHttp, post, 1, "increment");
        like(eastHttp, post, 2, "increment");
        // Later than east's like: the user changed their mind on another device, in the other region.
        like(westHttp, post, 1, "decrement");
        like(westHttp, post, 3, "increment");
        for (int i = 0; i < 5; i++) {
            view(eastHttp, post, "east-view-" + i);
        }
        for (int i = 0; i < 3; i++) {
            view(westHttp, post, "west-view-" + i);
        }
        // A client whose first attempt was counted in east, and who retried the same request in west.
        view(eastHttp, post, "tap-1");
        view(westHttp, post, "tap-1");

        JsonNode eastAlone = eastHttp.get("/v1/" + post + "?regions=true").json();
        JsonNode westAlone = westHttp.get("/v1/" + post + "?regions=true").json();
        assertThat(eastAlone.get("likes").asLong()).as("east during the partition: users 1 and 2").isEqualTo(2);
        assertThat(eastAlone.get("views").asLong()).isEqualTo(6);
        assertThat(eastAlone.get("regions").has("west")).as("nothing of west's").isFalse();
        assertThat(westAlone.get("likes").asLong()).as("west during the partition: user 3").isEqualTo(1);
        assertThat(westAlone.get("views").asLong()).isEqualTo(4);
        assertThat(westAlone.get("regions").has("east")).isFalse();
        long partitioned = System.nanoTime() - isolated;

        long healed = System.nanoTime();
        intoEast = MirrorProcess.start("into-east-healed", mirrorEnv("east", "west"));
        intoWest = MirrorProcess.start("into-west-healed", mirrorEnv("west", "east"));
        // User 1's unlike in west is later than their like in east, so users 2 and 3 count; views: 5 + 3, and the
        // retried request once. East's likes stay 2 all along (user 1 leaves as user 3 arrives), so who is counted
        // is part of the condition.
        Map<String, Long> expected = Map.of("likes", 2L, "views", 9L);
        Map<Long, Boolean> likers = Map.of(1L, false, 2L, true, 3L, true);
        await(Duration.ofMinutes(3)).until(() -> totals(eastNode, post).equals(expected) && totals(westNode, post).equals(expected)
                && likers(eastHttp, post).equals(likers) && likers(westHttp, post).equals(likers));
        long converged = (System.nanoTime() - healed) / 1_000_000;
        JsonNode eastAfter = eastHttp.get("/v1/" + post + "?regions=true").json();
        JsonNode westAfter = westHttp.get("/v1/" + post + "?regions=true").json();
        report("partition test: %d s isolated with writes in both; mirrors started again to the same exact totals in both"
                + " regions: %d ms; after the heal east shows %s, west shows %s", partitioned / 1_000_000_000, converged,
                eastAfter, westAfter);
        // And they stay there: nothing arrives twice.
        await(Duration.ofSeconds(10)).during(Duration.ofSeconds(3)).until(() -> totals(eastNode, post).equals(expected)
                && totals(westNode, post).equals(expected));
    }

    private static void like(Http http, long post, long user, String action) {
        Http.Answer answer = http.put("/v1/" + post + "/likes", "{\"action\":\"" + action + "\",\"user_id\":" + user + "}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static void view(Http http, long post, String idempotencyKey) {
        Http.Answer answer = http.put("/v1/" + post + "/views", "{\"action\":\"increment\"}",
                Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static Map<Long, Boolean> likers(Http http, long post) {
        return Map.of(1L, liked(http, post, 1), 2L, liked(http, post, 2), 3L, liked(http, post, 3));
    }

    private static boolean liked(Http http, long post, long user) {
        return http.get("/v1/" + post + "/likes/users/" + user).json().get("liked").asBoolean();
    }

    private static Map<String, Long> totals(TallyNode node, long post) {
        JsonNode counts = new Http(node.port()).get("/v1/" + post).json();
        return Map.of("likes", counts.get("likes").asLong(), "views", counts.get("views").asLong());
    }

    private List<Long> crossings(TallyNode from, TallyNode to, long firstPost) {
        List<Long> millis = new ArrayList<>();
        for (long post = firstPost; post < firstPost + CROSSINGS; post++) {
            long written = System.nanoTime();
            assertThat(viewIn(from, post).get("count").asLong()).isEqualTo(1);
            long id = post;
            await(CROSSING_BOUND.plusSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> views(to, id) == 1);
            millis.add((System.nanoTime() - written) / 1_000_000);
        }
        return millis;
    }

    @Test
    void shouldCopyNoEventTwiceWhenTheMirrorIsKilledInTheMiddleOfABatchAndRestarted() throws Exception {
        String events = east.settings().topics().events();
        String mirrored = west.settings().topics().mirroredEvents("east");
        Set<UUID> written = new HashSet<>();
        long copiedAtKill;
        boolean insideTransaction;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, westKafka.bootstrapServers()));
             KafkaProducer<String, CounterEvent> producer = producer(SharedKafka.bootstrapServers())) {
            long before = logEnd(admin, mirrored, IsolationLevel.READ_UNCOMMITTED);
            for (int i = 0; i < BATCH; i++) {
                long post = FIRST_BATCH_POST + i % BATCH_POSTS;
                CounterEvent view = new CounterEvent(UUID.randomUUID(), post, "views", Action.INCREMENT, null, null, Instant.now());
                written.add(view.eventId());
                producer.send(new ProducerRecord<>(events, null, view.timestamp().toEpochMilli(), PostKeys.key(post), view));
            }
            // Killed once a tenth of the batch is in west, preferably while one of its transactions is open (records
            // past the last stable offset): the case where a copy exists that must never be read.
            await(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(2)).until(() -> {
                long copied = logEnd(admin, mirrored, IsolationLevel.READ_UNCOMMITTED) - before;
                boolean open = copied > logEnd(admin, mirrored, IsolationLevel.READ_COMMITTED) - before;
                return copied >= BATCH / 10 && (open || copied >= BATCH / 2);
            });
            intoWest.kill();
            copiedAtKill = logEnd(admin, mirrored, IsolationLevel.READ_UNCOMMITTED) - before;
            insideTransaction = copiedAtKill > logEnd(admin, mirrored, IsolationLevel.READ_COMMITTED) - before;
            producer.flush();
        }
        report("mirror into west SIGKILLed with %,d of %,d records of the batch in west's log (transaction markers"
                + " included), %s", copiedAtKill, BATCH, insideTransaction ? "a transaction open" : "between transactions");
        assertThat(copiedAtKill).as("killed in the middle of the batch").isLessThan(BATCH);

        long restarted = System.nanoTime();
        intoWest = MirrorProcess.start("into-west-restarted", mirrorEnv("west", "east"));
        List<Long> posts = LongStream.range(FIRST_BATCH_POST, FIRST_BATCH_POST + BATCH_POSTS).boxed().toList();
        Map<Long, Map<String, Long>> exact = new HashMap<>();
        posts.forEach(post -> exact.put(post, Map.of("views", (long) (BATCH / BATCH_POSTS))));
        // 16-79 s here at load averages of 10-37: the new JVM copies again 10-20 s after its start (the successor's
        // producer aborts the open transaction at once), then the backlog is copied and counted.
        await(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> Counts.read(new Http(westNode.port()), posts, List.of("views")).equals(exact));
        report("restarted mirror to exact counts in west: %d ms", (System.nanoTime() - restarted) / 1_000_000);
        await(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> Counts.read(new Http(eastNode.port()), posts, List.of("views")).equals(exact));

        Map<UUID, Integer> committed = copiesById(readAll(westKafka.bootstrapServers(), mirrored, "read_committed"), written);
        Map<UUID, Integer> all = copiesById(readAll(westKafka.bootstrapServers(), mirrored, "read_uncommitted"), written);
        long committedCopies = committed.values().stream().mapToLong(Integer::longValue).sum();
        long allCopies = all.values().stream().mapToLong(Integer::longValue).sum();
        report("west's copy of the batch, by event id: %,d events, %,d committed copies (%,d duplicates); %,d copies"
                + " in the log counting those of aborted transactions", committed.size(), committedCopies,
                committedCopies - committed.size(), allCopies);
        assertThat(committed.keySet()).isEqualTo(written);
        assertThat(committedCopies).as("committed copies of the batch's events in west").isEqualTo(BATCH);
    }

    /** The end of the topic's log summed over partitions: its high watermark, or its last stable offset. */
    private static long logEnd(Admin admin, String topic, IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(info -> request.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
        return admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get().values().stream()
                .mapToLong(ListOffsetsResultInfo::offset).sum();
    }

    private static Map<UUID, Integer> copiesById(List<ConsumerRecord<String, CounterEvent>> records, Set<UUID> batch) {
        Map<UUID, Integer> copies = new HashMap<>();
        records.stream().map(record -> record.value().eventId()).filter(batch::contains)
                .forEach(id -> copies.merge(id, 1, Integer::sum));
        return copies;
    }

    /** Every record of the topic, from the start to its end as the isolation level sees it. */
    private static List<ConsumerRecord<String, CounterEvent>> readAll(String bootstrapServers, String topic, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, CounterEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new JsonSerde<>(CounterEvent.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, CounterEvent>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                assertThat(System.nanoTime()).as("read " + topic + " to its end within a minute").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static KafkaProducer<String, CounterEvent> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        return new KafkaProducer<>(props, PostKeys.SERDE.serializer(), new JsonSerde<>(CounterEvent.class));
    }

    private static JsonNode viewIn(TallyNode node, long postId) {
        Http.Answer answer = new Http(node.port()).put("/v1/" + postId + "/views", "{\"action\":\"increment\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static long views(TallyNode node, long postId) {
        Http.Answer answer = new Http(node.port()).get("/v1/" + postId + "/views");
        return answer.status() == 200 ? answer.json().get("count").asLong() : -1;
    }

    /** A wait that fails at once, with the mirror's log, when a mirror has died. */
    private ConditionFactory await(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .failFast("a mirror exited (its log: app/target/mirror-*.log)", (Callable<Boolean>) () -> deadMirror() != null);
    }

    private Path deadMirror() {
        for (MirrorProcess mirror : new MirrorProcess[] {intoEast, intoWest}) {
            if (mirror != null && !mirror.isAlive()) {
                return mirror.log();
            }
        }
        return null;
    }

    private static void report(String format, Object... args) throws IOException {
        String line = String.format(format, args);
        System.out.println("mirror: " + line);
        Files.writeString(REPORT, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
