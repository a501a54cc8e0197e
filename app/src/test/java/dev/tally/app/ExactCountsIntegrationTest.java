package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.EventTopic;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.schemas.StoreNames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exact counts through the real HTTP API, broker and processor. One deployment for the class (a node with every
 * role and a second, ingest-only node) since nodes take seconds to start; each test counts posts of its own.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactCountsIntegrationTest {

    private static final long WINDOW_MILLIS = 600_000;

    private TallyFixture tally;
    private TallyNode first;
    private TallyNode second;

    private record Answer(int status, String body) {
    }

    @BeforeAll
    void start() {
        tally = TallyFixture.create(Map.of(
                // Every copy must be answered with the count, not a 202, for the answers to be comparable.
                "TALLY_WRITE_CONFIRM_TIMEOUT_MS", "30000",
                "TALLY_IDEMPOTENCY_WINDOW_MS", Long.toString(WINDOW_MILLIS)));
        first = tally.start("first");
        second = tally.start("second", EnumSet.of(Role.INGEST));
        awaitReady(List.of(new Http(first.port()), new Http(second.port())));
    }

    @AfterAll
    void stop() {
        tally.close();
    }

    @Test
    void shouldCountALikeOnceWhenTheSameIdempotencyKeyReachesTwoIngestInstancesAHundredTimesAtOnce() {
        List<Http> ingests = List.of(new Http(first.port()), new Http(second.port()));
        assertThat(ingests.get(0).put("/v1/31/likes", "{\"action\":\"increment\",\"user_id\":1}").json()
                .get("count").asLong()).isEqualTo(1);
        long appendedBefore;
        try (EventTopic events = new EventTopic(tally.bootstrapServers(), tally.settings().topics().events())) {
            appendedBefore = events.records();

            List<CompletableFuture<Answer>> copies = IntStream.range(0, 100).mapToObj(i -> Http.client().sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (i % 2 == 0 ? first : second).port()
                                    + "/v1/31/likes"))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", "like-31-by-2")
                            .timeout(Duration.ofSeconds(60))
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"action\":\"increment\",\"user_id\":2}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Answer(response.statusCode(), response.body()))).toList();
            List<Answer> answers = copies.stream().map(CompletableFuture::join).toList();

            assertThat(answers).hasSize(100).containsOnly(answers.get(0));
            assertThat(answers.get(0).status()).isEqualTo(200);
            JsonNode body = new Http.Answer(200, answers.get(0).body(), Map.of()).json();
            assertThat(body.get("count").asLong()).isEqualTo(2);
            assertThat(body.get("liked").asBoolean()).isTrue();
            // Every copy was appended; the processor applied one.
            assertThat(events.records()).isEqualTo(appendedBefore + 100);
        }
        assertThat(ingests.get(0).get("/v1/31/likes").json().get("count").asLong()).isEqualTo(2);
    }

    @Test
    void shouldCountAUserWhoLikesTenTimesOnceAndSayWhetherAUserLikesThePost() {
        Http http = new Http(second.port());
        Http reads = new Http(first.port());
        for (int i = 0; i < 10; i++) {
            JsonNode answer = http.put("/v1/5/likes", "{\"action\":\"increment\",\"user_id\":7}").json();
            assertThat(answer.get("count").asLong()).isEqualTo(1);
            assertThat(answer.get("liked").asBoolean()).isTrue();
        }
        assertThat(reads.get("/v1/5/likes").json().get("count").asLong()).isEqualTo(1);
        assertThat(reads.get("/v1/5/likes?user_id=7").json().get("liked").asBoolean()).isTrue();
        assertThat(reads.get("/v1/5/likes?user_id=8").json().get("liked").asBoolean()).isFalse();
        assertThat(reads.get("/v1/5/likes").json().has("liked")).as("liked only when a user is asked about").isFalse();
        assertThat(reads.get("/v1/5/likes?user_id=0").status()).isEqualTo(400);

        JsonNode unliked = http.put("/v1/5/likes", "{\"action\":\"decrement\",\"user_id\":7}").json();
        assertThat(unliked.get("count").asLong()).isZero();
        assertThat(unliked.get("liked").asBoolean()).isFalse();
        JsonNode again = http.put("/v1/5/likes", "{\"action\":\"decrement\",\"user_id\":7}").json();
        assertThat(again.get("count").asLong()).as("never below zero").isZero();
        assertThat(reads.get("/v1/5/likes?user_id=7").json().get("liked").asBoolean()).isFalse();
        assertThat(reads.get("/v1/5").json().get("likes").asLong()).isZero();
    }

    @Test
    void shouldKeepIdempotencyKeysInACompactedChangelogThatExpiresThemAfterTheWindow() throws Exception {
        Http http = new Http(first.port());
        Map<String, String> key = Map.of("Content-Type", "application/json", "Idempotency-Key", "v-1");
        assertThat(http.put("/v1/3/views", "{\"action\":\"increment\"}", key).json().get("count").asLong()).isEqualTo(1);
        assertThat(http.put("/v1/3/views", "{\"action\":\"increment\"}", key).json().get("count").asLong()).isEqualTo(1);

        String changelog = tally.env().get("TALLY_APPLICATION_ID") + "-idempotency-keys-changelog";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).contains("compact").contains("delete");
            // Retention covers the store's two windows plus Streams' one-day grace for changelogs.
            long retention = Long.parseLong(config.get(TopicConfig.RETENTION_MS_CONFIG).value());
            assertThat(retention).isBetween(2 * WINDOW_MILLIS, 2 * WINDOW_MILLIS + Duration.ofDays(1).toMillis());
        }
    }

    @Test
    void shouldKeepPendingSumsInSmallCompactedSegmentsSoThatARestartReadsMinutesOfThemNotAll() throws Exception {
        String application = tally.env().get("TALLY_APPLICATION_ID");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers()))) {
            for (String store : List.of("pending-like-totals", "like-resets", "pending-changes")) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, application + "-" + store + "-changelog");
                Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).as(store).isEqualTo("compact");
                assertThat(Long.parseLong(config.get(TopicConfig.SEGMENT_MS_CONFIG).value())).as(store)
                        .isLessThanOrEqualTo(Duration.ofMinutes(1).toMillis());
                // Long enough that a restore never reads a put without its delete; short enough to bound the restore.
                assertThat(Long.parseLong(config.get(TopicConfig.DELETE_RETENTION_MS_CONFIG).value())).as(store)
                        .isBetween(Duration.ofMinutes(5).toMillis(), Duration.ofMinutes(30).toMillis());
            }
        }
    }

    private static void awaitReady(List<Http> nodes) {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> nodes.stream().allMatch(node -> node.get("/health/ready").status() == 200));
    }
}
