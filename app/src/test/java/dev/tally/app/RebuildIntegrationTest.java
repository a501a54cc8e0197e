package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.CountModel;
import dev.tally.app.support.Counts;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.EventPlacement;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.JsonSerde;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tally rebuild} recounts from the event topic alone: 100,000 events (likes, unlikes, views, and retried
 * copies of keyed requests) are counted live, the processor is stopped, everything is rebuilt from offset zero, and
 * every counter of every post comes back identical, and identical to what a simple model says.
 */
@Tag("integration")
@Tag("slow")
class RebuildIntegrationTest {

    private static final int EVENTS = 100_000;
    private static final int POSTS = 500;
    private static final int USERS = 300;

    @Test
    void shouldRebuildExactlyTheLiveCountsOfAHundredThousandEventsWithRetriesAndUnlikes() {
        // Commits once a second, not ten times: 100,000 events in fewer transactions, the same counts.
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_COMMIT_INTERVAL_MS", "1000"))) {
            TallyNode live = tally.start("processor");
            CountModel model = new CountModel();
            produce(tally, model);
            List<Long> posts = LongStream.rangeClosed(1, POSTS).boxed().toList();
            Map<Long, Map<String, Long>> expected = model.counts(posts);

            Http liveHttp = new Http(live.port());
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(Counts.read(liveHttp, posts, CountModel.COUNTERS)).isEqualTo(expected));
            Map<Long, Map<String, Long>> liveCounts = Counts.read(liveHttp, posts, CountModel.COUNTERS);

            ByteArrayOutputStream refused = new ByteArrayOutputStream();
            assertThat(rebuild(tally, refused)).as("a rebuild while a processor runs").isNotZero();
            assertThat(refused.toString(StandardCharsets.UTF_8)).contains("are processors still running?");
            assertThat(Counts.read(liveHttp, posts, CountModel.COUNTERS)).isEqualTo(liveCounts);
            tally.stop(live);

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exit = rebuild(tally, printed);
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(output).isZero();
            assertThat(output).contains("replaying " + EVENTS + " records").contains("/ 100,000 records").endsWith("rebuild: done\n");

            Http rebuilt = new Http(tally.start("processor").port());
            Map<Long, Map<String, Long>> rebuiltCounts = Counts.read(rebuilt, posts, CountModel.COUNTERS);
            assertThat(rebuiltCounts).isEqualTo(liveCounts).isEqualTo(expected);
            Random sample = new Random(7);
            for (int i = 0; i < 40; i++) {
                long post = 1 + sample.nextInt(20);
                long user = 1 + sample.nextInt(USERS);
                assertThat(rebuilt.get("/v1/" + post + "/likes?user_id=" + user).json().get("liked").asBoolean())
                        .as("does %d like %d", user, post).isEqualTo(model.likes(post, user));
            }
        }
    }

    /** {@code ./tally rebuild} on the processor's data directory, printing to {@code out}. */
    private static int rebuild(TallyFixture tally, ByteArrayOutputStream out) {
        return new Rebuild(tally.settingsFor("processor").processor(),
                new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    }

    /**
     * Appends the events straight to the topic, as ingest would: JSON CounterEvents keyed by post, each record
     * stamped with its event's time. About one in six is a retried copy of an earlier keyed request.
     */
    private static void produce(TallyFixture tally, CountModel model) {
        Random random = new Random(20261127);
        Instant clock = Instant.now().minus(Duration.ofMinutes(10));
        List<CounterEvent> keyed = new ArrayList<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, CounterEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
                new JsonSerde<>(CounterEvent.class))) {
            for (int i = 0; i < EVENTS; i++) {
                clock = clock.plusMillis(1);
                CounterEvent event;
                if (!keyed.isEmpty() && random.nextInt(6) == 0) {
                    CounterEvent original = keyed.get(random.nextInt(keyed.size()));
                    event = new CounterEvent(original.eventId(), original.postId(), original.counter(), original.action(),
                            original.userId(), original.idempotencyKey(), clock);
                } else {
                    long post = 1 + random.nextInt(POSTS);
                    boolean like = random.nextBoolean();
                    String counter = like ? "likes" : "views";
                    Action action = like && random.nextInt(3) == 0 ? Action.DECREMENT : Action.INCREMENT;
                    Long user = like ? 1L + random.nextInt(USERS) : null;
                    String key = random.nextBoolean() ? "request-" + i : null;
                    UUID eventId = key == null ? UUID.randomUUID() : new IdempotencyKey(post, counter, key).eventId();
                    event = new CounterEvent(eventId, post, counter, action, user, key, clock);
                    if (key != null) {
                        keyed.add(event);
                    }
                }
                model.apply(event);
                // Placed as ingest places it: a like by post and user, a view by post.
                int partition = EventPlacement.partitionOf(event, CounterCatalog.defaults().kindOf(event.counter()).orElseThrow(),
                        tally.settings().partitions()).orElseThrow();
                producer.send(new ProducerRecord<>(tally.settings().topics().events(), partition,
                        event.timestamp().toEpochMilli(), PostKeys.key(event.postId()), event));
            }
            producer.flush();
        }
    }
}
