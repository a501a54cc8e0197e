package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.EventStream;
import dev.tally.app.support.Http;
import dev.tally.app.support.NodeMeters;
import dev.tally.app.support.TallyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads that cross instances: the feed, which asks each other owner once, and streams, where a subscriber on one
 * instance follows a post owned by another. Two all-in-one instances on a real broker; the post ids of each test
 * are its own.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadsAcrossInstancesIntegrationTest {

    private static final int MAX_STREAMS_PER_CLIENT = 4;

    private TallyFixture tally;
    private TallyNode firstNode;
    private TallyNode secondNode;
    private Http first;
    private Http second;

    @BeforeAll
    void startTwoInstances() {
        tally = TallyFixture.create(Map.of(
                "TALLY_STREAM_MAX_PER_CLIENT", Integer.toString(MAX_STREAMS_PER_CLIENT),
                "TALLY_STREAM_KEEPALIVE_MS", "300",
                "TALLY_LIVE_REPORT_INTERVAL_MS", "300"));
        firstNode = tally.start("first");
        secondNode = tally.start("second");
        first = new Http(firstNode.port());
        second = new Http(secondNode.port());
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() ->
                first.get("/health/ready").status() == 200 && second.get("/health/ready").status() == 200
                        && firstNode.isProcessorRunning() && secondNode.isProcessorRunning()
                        && first.get("/v1/counters?post_ids=1,2,3,4,5,6,7,8").status() == 200
                        && second.get("/v1/counters?post_ids=1,2,3,4,5,6,7,8").status() == 200);
    }

    @AfterAll
    void stop() {
        tally.close();
    }

    /** The gauge as a read answers it; a 503 while the instances rebalance fails the assertion, to be retried. */
    private static long liveUsers(Http node, long post) {
        Http.Answer answer = node.get("/v1/" + post);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("live_users").asLong();
    }

    /** A post in [from, from+1000) whose counts live on the second instance: reading it on the first forwards. */
    private long postOwnedBySecond(long from) {
        for (long post = from; post < from + 1000; post++) {
            long before = NodeMeters.forwardedReads(firstNode);
            assertThat(first.get("/v1/" + post).status()).isEqualTo(200);
            if (NodeMeters.forwardedReads(firstNode) > before) {
                return post;
            }
        }
        throw new AssertionError("no post of the second instance in [" + from + ", " + (from + 1000) + ")");
    }

    @Test
    void shouldAnswerAFeedOfAHundredPostsAsTheirSingleReadsWithOneRequestPerOtherOwner() {
        List<Long> posts = LongStream.rangeClosed(1001, 1100).boxed().toList();
        CompletableFuture.allOf(posts.stream().map(post -> CompletableFuture.runAsync(() -> {
            Http via = post % 2 == 0 ? first : second;
            for (int i = 0; i < post % 3 + 1; i++) {
                assertThat(via.put("/v1/" + post + "/views", "{\"action\":\"increment\"}").status()).isIn(200, 202);
            }
            if (post % 4 == 0) {
                assertThat(via.put("/v1/" + post + "/likes", "{\"action\":\"increment\",\"user_id\":" + post + "}").status()).isIn(200, 202);
            }
        })).toArray(CompletableFuture[]::new)).join();
        String list = posts.stream().map(String::valueOf).collect(Collectors.joining(","));
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(first.get("/v1/1100").json().get("views").asLong()).isEqualTo(1100 % 3 + 1));

        for (TallyNode node : List.of(firstNode, secondNode)) {
            Http http = new Http(node.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                long before = NodeMeters.forwardedReads(node);
                Http.Answer feed = http.get("/v1/counters?post_ids=" + list);
                long forwarded = NodeMeters.forwardedReads(node) - before;
                assertThat(feed.status()).as(feed.body()).isEqualTo(200);
                assertThat(forwarded).as("requests to the one other owner").isEqualTo(1);

                JsonNode counters = feed.json().get("counters");
                assertThat(counters).hasSize(100);
                for (int i = 0; i < posts.size(); i++) {
                    long post = posts.get(i);
                    JsonNode single = http.get("/v1/" + post).json();
                    assertThat(counters.get(i)).as("post %d in the feed", post).isEqualTo(single);
                    assertThat(single.get("views").asLong()).isEqualTo(post % 3 + 1);
                    assertThat(single.get("likes").asLong()).isEqualTo(post % 4 == 0 ? 1 : 0);
                    assertThat(single.get("live_users").asLong()).isZero();
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?post_ids=", "?post_ids=1,2,1", "?post_ids=1,x", "?post_ids=1,,2", "?post_ids=-3",
            "?post_ids=0", "?post_ids=1.5", "?post_ids=99999999999999999999", "?post_ids=%20"})
    void shouldRefuseAFeedListThatIsEmptyRepeatedOrNotNumeric(String query) {
        Http.Answer answer = first.get("/v1/counters" + query);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
        assertThat(answer.json().get("message").asText()).contains("post_ids");
    }

    @Test
    void shouldRefuseAFeedOfMoreThanAHundredPosts() {
        String list = IntStream.rangeClosed(1, 101).mapToObj(String::valueOf).collect(Collectors.joining(","));
        Http.Answer answer = first.get("/v1/counters?post_ids=" + list);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).contains("101").contains("at most 100");
        Http.Answer hundred = first.get("/v1/counters?post_ids=" + list.substring(0, list.lastIndexOf(',')));
        assertThat(hundred.status()).as(hundred.body()).isEqualTo(200);
    }

    @Test
    void shouldStreamEveryChangeOfAPostOwnedByTheOtherInstanceCoalescedAndEndingOnTheReadAnswer() {
        long post = postOwnedBySecond(2000);
        try (EventStream stream = EventStream.open(firstNode.port(), "/v1/" + post + "/stream")) {
            assertThat(stream.status()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stream.last() != null);
            assertThat(stream.events().get(0).data().get("likes").asLong()).isZero();
            long started = System.nanoTime();

            int likes = 20;
            int views = 15;
            CompletableFuture.allOf(IntStream.rangeClosed(1, likes + views).mapToObj(i -> CompletableFuture.runAsync(() -> {
                Http via = i % 2 == 0 ? first : second;
                String body = i <= likes ? "{\"action\":\"increment\",\"user_id\":" + i + "}" : "{\"action\":\"increment\"}";
                assertThat(via.put("/v1/" + post + "/" + (i <= likes ? "likes" : "views"), body).status()).isIn(200, 202);
            })).toArray(CompletableFuture[]::new)).join();

            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode last = stream.last().data();
                assertThat(last.get("likes").asLong()).isEqualTo(likes);
                assertThat(last.get("views").asLong()).isEqualTo(views);
                assertThat(last.get("live_users").asLong()).as("the stream itself is a live viewer").isEqualTo(1);
                assertThat(last).isEqualTo(first.get("/v1/" + post).json()).isEqualTo(second.get("/v1/" + post).json());
            });

            List<EventStream.Event> events = stream.events();
            assertThat(events).allSatisfy(event -> {
                assertThat(event.name()).isEqualTo("counts");
                assertThat(event.data().get("post_id").asLong()).isEqualTo(post);
            });
            for (int i = 1; i < events.size(); i++) {
                JsonNode before = events.get(i - 1).data();
                JsonNode after = events.get(i).data();
                assertThat(after.get("likes").asLong()).isGreaterThanOrEqualTo(before.get("likes").asLong());
                assertThat(after.get("views").asLong()).isGreaterThanOrEqualTo(before.get("views").asLong());
                assertThat(after).as("an event is sent only on a change").isNotEqualTo(before);
            }
            double seconds = (events.get(events.size() - 1).receivedAtNanos() - started) / 1e9;
            assertThat(events.size()).as("at most 5 events a second, %s events in %.1f s", events.size(), seconds)
                    .isLessThanOrEqualTo((int) Math.floor(seconds * 5) + 2);
            assertThat(events.size()).as("changes arrive while they happen, coalesced").isLessThan(likes + views);
        }
    }

    @Test
    void shouldCountAnOpenStreamAsALiveViewerOnEveryInstanceUntilItCloses() {
        long post = postOwnedBySecond(3000);
        try (EventStream stream = EventStream.open(firstNode.port(), "/v1/" + post + "/stream")) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(liveUsers(second, post)).isEqualTo(1);
                assertThat(stream.last()).as("the stream's first event").isNotNull();
                assertThat(stream.last().data().get("live_users").asLong()).isEqualTo(1);
            });
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(liveUsers(first, post)).isZero();
            assertThat(liveUsers(second, post)).isZero();
        });
    }

    /** The latest event of each post on a stream, by post id. */
    private static Map<Long, JsonNode> latestByPost(EventStream stream) {
        Map<Long, JsonNode> latest = new HashMap<>();
        stream.events().forEach(event -> latest.put(event.data().get("post_id").asLong(), event.data()));
        return latest;
    }

    @Test
    void shouldStreamEveryPostOfAPageOnOneConnectionWhicheverInstanceOwnsIt() {
        List<Long> posts = List.of(postOwnedBySecond(5000), 5999L, 5998L);
        String list = posts.stream().map(String::valueOf).collect(Collectors.joining(","));
        try (EventStream stream = EventStream.open(firstNode.port(), "/v1/stream?post_ids=" + list)) {
            assertThat(stream.status()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<Long, JsonNode> latest = latestByPost(stream);
                assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(posts);
                latest.values().forEach(counts -> assertThat(counts.get("live_users").asLong())
                        .as("the stream is a live viewer of each of its posts").isEqualTo(1));
            });

            CompletableFuture.allOf(IntStream.range(0, posts.size()).boxed().flatMap(index -> IntStream.rangeClosed(1, index + 1)
                    .mapToObj(user -> CompletableFuture.runAsync(() -> {
                        Http via = user % 2 == 0 ? first : second;
                        assertThat(via.put("/v1/" + posts.get(index) + "/likes",
                                "{\"action\":\"increment\",\"user_id\":" + user + "}").status()).isIn(200, 202);
                    }))).toArray(CompletableFuture[]::new)).join();

            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<Long, JsonNode> latest = latestByPost(stream);
                for (int index = 0; index < posts.size(); index++) {
                    long post = posts.get(index);
                    assertThat(latest.get(post).get("likes").asLong()).as("likes of %d", post).isEqualTo(index + 1);
                    assertThat(latest.get(post)).isEqualTo(first.get("/v1/" + post).json());
                }
            });
            assertThat(stream.events()).allSatisfy(event -> assertThat(event.name()).isEqualTo("counts"));
            assertThat(NodeMeters.openStreams(firstNode)).as("one stream, however many posts").isEqualTo(1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (long post : posts) {
                assertThat(liveUsers(second, post)).as("live viewers of %d once the page closed", post).isZero();
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?post_ids=", "?post_ids=1,2,1", "?post_ids=1,x", "?post_ids=0", "?post_ids=1.5"})
    void shouldRefuseAPageStreamOfABadListBeforeItStarts(String query) {
        try (EventStream refused = EventStream.open(firstNode.port(), "/v1/stream" + query)) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error().get("error").asText()).isEqualTo("bad_request");
            assertThat(refused.error().get("message").asText()).contains("post_ids");
        }
        String tooMany = IntStream.rangeClosed(1, 101).mapToObj(String::valueOf).collect(Collectors.joining(","));
        try (EventStream refused = EventStream.open(firstNode.port(), "/v1/stream?post_ids=" + tooMany)) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    @Test
    void shouldCountAPageStreamAsOneOfTheClientsStreams() {
        List<EventStream> open = new ArrayList<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NodeMeters.openStreams(firstNode) == 0);
            String hundred = LongStream.rangeClosed(6001, 6100).mapToObj(String::valueOf).collect(Collectors.joining(","));
            for (int i = 0; i < MAX_STREAMS_PER_CLIENT; i++) {
                open.add(EventStream.open(firstNode.port(), "/v1/stream?post_ids=" + hundred));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            try (EventStream refused = EventStream.open(firstNode.port(), "/v1/stream?post_ids=6200")) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error().get("error").asText()).isEqualTo("too_many_requests");
            }
            try (EventStream refused = EventStream.open(firstNode.port(), "/v1/6200/stream")) {
                assertThat(refused.status()).as("single-post and page streams share the limit").isEqualTo(429);
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(latestByPost(open.get(0))).as("every post's first event").hasSize(100));
        } finally {
            open.forEach(EventStream::close);
        }
        // The slots come back once the server notices the closed streams (at the next keep-alive); the other tests
        // of this class open streams from the same address.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NodeMeters.openStreams(firstNode) == 0);
    }

    @Test
    void shouldRefuseMoreStreamsFromOneClientThanTheLimitAndAcceptOneAgainOnceOneCloses() {
        List<EventStream> open = new ArrayList<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NodeMeters.openStreams(firstNode) == 0);
            for (int i = 0; i < MAX_STREAMS_PER_CLIENT; i++) {
                open.add(EventStream.open(firstNode.port(), "/v1/" + (4000 + i) + "/stream"));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            try (EventStream refused = EventStream.open(firstNode.port(), "/v1/4100/stream")) {
                assertThat(refused.status()).isEqualTo(429);
                assertThat(refused.error().get("error").asText()).isEqualTo("too_many_requests");
            }
            try (EventStream elsewhere = EventStream.open(secondNode.port(), "/v1/4100/stream")) {
                assertThat(elsewhere.status()).as("the limit is per instance").isEqualTo(200);
            }
            assertThat(first.get("/v1/x/stream").status()).isEqualTo(400);

            open.remove(0).close();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NodeMeters.openStreams(firstNode) < MAX_STREAMS_PER_CLIENT);
            open.add(EventStream.open(firstNode.port(), "/v1/4101/stream"));
            assertThat(open.get(open.size() - 1).status()).isEqualTo(200);
        } finally {
            open.forEach(EventStream::close);
        }
    }
}
