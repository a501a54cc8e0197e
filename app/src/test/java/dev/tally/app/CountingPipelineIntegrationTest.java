package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.EventTopic;
import dev.tally.app.support.Http;
import dev.tally.app.support.SharedKafka;
import dev.tally.app.support.NodeMeters;
import dev.tally.app.support.TallyFixture;
import dev.tally.app.support.TempDirs;
import dev.tally.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pipeline end to end: HTTP writes through a real Kafka topic and the Kafka Streams topology into RocksDB, and
 * reads back over HTTP. Runs on the in-process broker; {@link CountingPipelineOnTestcontainersTest} runs the same
 * scenarios on a Kafka container where a Docker engine exists.
 */
@Tag("integration")
class CountingPipelineIntegrationTest {

    /** The cluster the scenarios run on; subclasses choose another. */
    protected TallyFixture newFixture() {
        return TallyFixture.create();
    }

    @Test
    void shouldCountEveryPutAndAnswerEachWithTheCountIncludingIt() {
        try (TallyFixture tally = newFixture()) {
            Http http = new Http(tally.start("node").port());
            for (int i = 1; i <= 25; i++) {
                Http.Answer answer = http.put("/v1/7/views", "{\"action\":\"increment\"}");
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.json().get("count").asLong()).isEqualTo(i);
                assertThat(answer.json().get("updated_at").isNull()).isFalse();
            }
            JsonNode views = http.get("/v1/7/views").json();
            assertThat(views.get("count").asLong()).isEqualTo(25);
            assertThat(views.get("counter").asText()).isEqualTo("views");

            JsonNode post = http.get("/v1/7").json();
            assertThat(post.get("post_id").asLong()).isEqualTo(7);
            assertThat(post.get("views").asLong()).isEqualTo(25);
            assertThat(post.get("likes").asLong()).isZero();
        }
    }

    @Test
    void shouldAnswerAcceptedOnceDurableAndStillCountEveryWriteWhenTheClientPrefersAsync() {
        try (TallyFixture tally = newFixture()) {
            Http http = new Http(tally.start("node").port());
            for (int i = 0; i < 20; i++) {
                Http.Answer answer = http.put("/v1/8/views", "{\"action\":\"increment\"}",
                        Map.of("Content-Type", "application/json", "Prefer", "respond-async"));
                assertThat(answer.status()).isEqualTo(202);
                assertThat(answer.json().get("status").asText()).isEqualTo("accepted");
                assertThat(answer.json().get("event_id").asText()).hasSize(36);
                assertThat(answer.headers().get("preference-applied")).containsExactly("respond-async");
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/v1/8/views").json().get("count").asLong()).isEqualTo(20));
        }
    }

    @Test
    void shouldFoldConcurrentViewsOfOnePostIntoFewerEventsAndStillCountEveryOne() {
        try (TallyFixture tally = newFixture();
             EventTopic events = new EventTopic(tally.bootstrapServers(), tally.settings().topics().events())) {
            Http http = new Http(tally.start("node").port());
            long before = events.records();
            int views = 200;
            ExecutorService viewers = Executors.newFixedThreadPool(50);
            try {
                List<CompletableFuture<Http.Answer>> answers = IntStream.range(0, views).mapToObj(i ->
                        CompletableFuture.supplyAsync(() -> http.put("/v1/77/views", "{\"action\":\"increment\"}"), viewers))
                        .toList();
                for (CompletableFuture<Http.Answer> answer : answers) {
                    assertThat(answer.join().status()).isEqualTo(200);
                    assertThat(answer.join().json().get("count").asLong()).isBetween(1L, (long) views);
                }
            } finally {
                viewers.shutdown();
            }
            assertThat(http.get("/v1/77/views").json().get("count").asLong()).isEqualTo(views);
            assertThat(events.records() - before).as("events appended for %d concurrent views", views)
                    .isLessThan(views).isPositive();
        }
    }

    @Test
    void shouldAnswerZeroAndNullForAPostNeverCounted() {
        try (TallyFixture tally = newFixture()) {
            Http http = new Http(tally.start("node").port());
            JsonNode answer = http.get("/v1/123456789/likes").json();
            assertThat(answer.get("count").asLong()).isZero();
            assertThat(answer.get("updated_at").isNull()).isTrue();
        }
    }

    @Test
    void shouldKeepCountsWhenTheWholeAppRestartsOnTheSameDataDirectory() throws Exception {
        Path dataDir = TempDirs.create("tally-restart");
        Map<String, String> env = new HashMap<>();
        env.put("TALLY_DATA_DIR", dataDir.toString());
        env.put("TALLY_HTTP_PORT", Integer.toString(SharedKafka.freePort()));
        env.put("TALLY_KAFKA_PORT", Integer.toString(SharedKafka.freePort()));
        env.put("TALLY_KAFKA_CONTROLLER_PORT", Integer.toString(SharedKafka.freePort()));
        env.put("TALLY_ADVERTISED_HOST", "127.0.0.1");
        env.put("TALLY_PARTITIONS", "3");
        TallySettings settings = TallySettings.fromEnv(new Env(env));
        try (TallyApp app = TallyApp.start(settings, EnumSet.allOf(Role.class), true)) {
            awaitRunning(app);
            Http http = new Http(app.port());
            for (int user = 1; user <= 5; user++) {
                assertThat(http.put("/v1/99/likes", "{\"action\":\"increment\",\"user_id\":" + user + "}").status()).isEqualTo(200);
            }
        }
        try (TallyApp app = TallyApp.start(settings, EnumSet.allOf(Role.class), true)) {
            awaitRunning(app);
            Http http = new Http(app.port());
            assertThat(http.get("/v1/99/likes").json().get("count").asLong()).isEqualTo(5);
            assertThat(http.put("/v1/99/likes", "{\"action\":\"increment\",\"user_id\":6}").json().get("count").asLong()).isEqualTo(6);
            // The counts came back from the local RocksDB stores, not from a wipe and a replay of every changelog.
            assertThat(NodeMeters.restoresFromStart(app.node())).isZero();
        }
        // And the meter that says so does see a rebuild from the changelogs, when the local state is gone.
        TempDirs.deleteRecursively(settings.processor().stateDir());
        try (TallyApp app = TallyApp.start(settings, EnumSet.allOf(Role.class), true)) {
            awaitRunning(app);
            assertThat(new Http(app.port()).get("/v1/99/likes").json().get("count").asLong()).isEqualTo(6);
            assertThat(NodeMeters.restoresFromStart(app.node())).isPositive();
        }
    }

    @Test
    void shouldAnswerEveryPostOnEitherOfTwoProcessorInstances() {
        try (TallyFixture tally = newFixture()) {
            TallyNode first = tally.start("first");
            TallyNode second = tally.start("second", EnumSet.of(Role.PROCESSOR));
            Http one = new Http(first.port());
            Http two = new Http(second.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    one.get("/health/ready").status() == 200 && two.get("/health/ready").status() == 200);

            int posts = 1000;
            // Each write waits for its confirmation; many in flight keep the processor's batches full.
            ExecutorService writers = Executors.newFixedThreadPool(64);
            try {
                CompletableFuture<?>[] writes = IntStream.rangeClosed(1, posts).mapToObj(post ->
                        CompletableFuture.runAsync(() -> {
                            for (int i = 0; i < post % 3 + 1; i++) {
                                assertThat(one.put("/v1/" + post + "/views", "{\"action\":\"increment\"}").status()).isIn(200, 202);
                            }
                        }, writers)).toArray(CompletableFuture[]::new);
                CompletableFuture.allOf(writes).join();
            } finally {
                writers.shutdown();
            }

            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (int post = 1; post <= posts; post++) {
                    long expected = post % 3 + 1;
                    assertThat(one.get("/v1/" + post + "/views").json().get("count").asLong()).as("post %d on first", post).isEqualTo(expected);
                    assertThat(two.get("/v1/" + post + "/views").json().get("count").asLong()).as("post %d on second", post).isEqualTo(expected);
                }
            });
        }
    }

    private static void awaitRunning(TallyApp app) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(app.node()::isProcessorRunning);
    }
}
