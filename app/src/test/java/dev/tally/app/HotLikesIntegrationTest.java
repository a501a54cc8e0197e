package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.EventTopic;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.ingest.IngestRoutes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A viral post's likes, counted by many stream threads: 100,000 distinct users like one post through the batch
 * endpoint, on a processor with four stream threads and twelve partitions. Each user's like is placed on the
 * partition of the post and user, so the likes are checked by every partition's task, and only their per-commit
 * sums travel to the post's partition. Asserted from the topics and the group's committed offsets.
 */
@Tag("integration")
class HotLikesIntegrationTest {

    private static final long POST = 4242;
    private static final int USERS = 100_000;

    @Test
    void shouldCountAHundredThousandLikesOfOnePostOnEveryPartitionExactlyAndHalfOfThemUnliked() throws Exception {
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_STREAM_THREADS", "4", "TALLY_PARTITIONS", "12"))) {
            TallyNode node = tally.start("hot");
            Http http = new Http(node.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);

            send(http, node.port(), "increment", 1, USERS);
            awaitCount(http, USERS);

            String events = tally.settings().shared().topics().events();
            String likeTotals = tally.settings().shared().topics().likeTotals();
            try (EventTopic eventTopic = new EventTopic(tally.bootstrapServers(), events);
                 EventTopic totalsTopic = new EventTopic(tally.bootstrapServers(), likeTotals);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, tally.bootstrapServers()))) {
                Map<TopicPartition, Long> placed = eventTopic.endOffsets();
                assertThat(placed.values()).as("likes on every partition").allMatch(records -> records > USERS / 24);
                Map<TopicPartition, OffsetAndMetadata> processed = admin.listConsumerGroupOffsets(
                        tally.settings().processor().applicationId()).partitionsToOffsetAndMetadata().get();
                long tasksThatCounted = placed.keySet().stream()
                        .filter(partition -> processed.get(partition) != null && processed.get(partition).offset() > USERS / 24)
                        .count();
                assertThat(tasksThatCounted).as("partitions whose task applied likes").isGreaterThanOrEqualTo(4);
                long totals = totalsTopic.records();
                System.out.printf("hot likes: %,d likes placed on %d partitions, %,d like-total records to the post's partition%n",
                        USERS, placed.size(), totals);
                assertThat(totals).as("per-commit sums, not one record per like").isLessThan(USERS / 10);
            }

            send(http, node.port(), "decrement", 1, USERS / 2);
            awaitCount(http, USERS / 2);
            assertThat(http.get("/v1/" + POST + "/likes?user_id=1").json().get("liked").asBoolean()).isFalse();
            assertThat(http.get("/v1/" + POST + "/likes?user_id=" + USERS).json().get("liked").asBoolean()).isTrue();
            assertThat(http.get("/v1/" + POST + "/likes/users/" + (USERS / 2 + 1)).json().get("liked").asBoolean()).isTrue();
        }
    }

    /** Users {@code from} to {@code to}, one event each, in batches as large as the endpoint takes. */
    private static void send(Http http, int port, String action, int from, int to) {
        for (int first = from; first <= to; first += IngestRoutes.MAX_BATCH_EVENTS) {
            StringJoiner batch = new StringJoiner(",", "{\"events\":[", "]}");
            for (int user = first; user < Math.min(to + 1, first + IngestRoutes.MAX_BATCH_EVENTS); user++) {
                batch.add("{\"post_id\":" + POST + ",\"counter\":\"likes\",\"action\":\"" + action + "\",\"user_id\":" + user + "}");
            }
            Http.Answer answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString())));
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        }
    }

    private static void awaitCount(Http http, long expected) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> http.get("/v1/" + POST + "/likes").json().get("count").asLong() == expected);
        // And it stays there: nothing was counted twice on the way.
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> http.get("/v1/" + POST + "/likes").json().get("count").asLong() == expected);
    }
}
