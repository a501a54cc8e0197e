package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.Http;
import dev.tally.app.support.NodeMeters;
import dev.tally.app.support.ProcessorProcess;
import dev.tally.app.support.TallyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two processor instances with one standby replica each; one, a JVM of its own, is killed with SIGKILL. Reads on
 * the survivor must keep answering with the exact count: from its standby copy while the dead instance still owns
 * its partitions in the group, then from the promoted active tasks once the group has rebalanced. A 503 is allowed
 * only while the tasks move, and must stop within a bound; writes then count exactly again.
 *
 * <p>Reads are sent one at a time, so the survivor's count of forwarded reads tells which reads went to the dead
 * owner first: answered 200, those were served by the standby copy.
 */
@Tag("integration")
@Tag("slow")
class StandbyFailoverIntegrationTest {

    private static final int POSTS = 200;
    /** The broker's shortest allowed session (group.min.session.timeout.ms), so the group notices the death soon. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    /**
     * From the kill until every read is answered by the survivor's own active tasks: the session timeout, the
     * rebalance and the promotion of the standby copies, with room for a loaded machine. (Promotion used to wipe and
     * restore each task: see SegmentKeeper.KEY.)
     */
    private static final Duration FAILOVER_BOUND = SESSION_TIMEOUT.plusSeconds(30);
    /** Clients writing at once: a write waits a commit interval or two for its count, so many keep the node busy. */
    private static final int WRITERS = 24;

    /** One GET of one post's views on the survivor, and whether it was first forwarded to the other instance. */
    private record Read(long post, Http.Answer answer, boolean forwarded) {
    }

    @Test
    void shouldKeepAnsweringEveryReadWithTheExactCountWhileTheOtherInstanceIsKilled() {
        // A write waits up to 10 s for its count rather than 2, so that a slow machine answers 200, not 202.
        try (TallyFixture tally = TallyFixture.create(Map.of(
                "TALLY_STANDBY_REPLICAS", "1",
                "TALLY_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()),
                "TALLY_WRITE_CONFIRM_TIMEOUT_MS", "10000"))) {
            TallyNode survivorNode = tally.start("survivor");
            Http survivor = new Http(survivorNode.port());
            List<Long> posts = LongStream.rangeClosed(1, POSTS).boxed().toList();
            Map<Long, Long> expected = posts.stream().collect(Collectors.toMap(post -> post, post -> post % 5 + 1));

            try (ProcessorProcess doomed = ProcessorProcess.start(tally, "doomed")) {
                // Started before anything is counted, the second instance is caught up at once and gets half the
                // partitions in its first rebalance; the survivor keeps a standby of each of them.
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    List<Read> reads = readAll(survivorNode, survivor, posts);
                    return survivor.get("/health/ready").status() == 200
                            && reads.stream().allMatch(read -> read.answer().status() == 200)
                            && ownedByTheOther(reads).size() >= POSTS / 4;
                });

                write(survivor, expected);
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(readAll(survivorNode, survivor, posts)).allSatisfy(read -> assertExact(read, expected)));
                List<Long> doomedPosts = ownedByTheOther(readAll(survivorNode, survivor, posts));
                assertThat(doomedPosts).as("posts the other instance owns").hasSizeBetween(POSTS / 4, POSTS * 3 / 4);
                // The standby copies follow the changelogs a fetch behind the active tasks. Under exactly-once the
                // commit marker after a changelog's last record takes an offset: a caught-up copy is 1 behind.
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> NodeMeters.maxStoreLag(survivorNode), lag -> lag <= 1);
                long wipedBefore = NodeMeters.restoresFromStart(survivorNode);
                long killedAt = System.nanoTime();
                doomed.kill();
                int standbyReads = 0;
                int unavailable = 0;
                int unavailableAfterForwarding = 0;
                int rounds = 0;
                long lastUnavailableMillis = -1;
                long settledMillis;
                while (true) {
                    List<Read> round = readAll(survivorNode, survivor, posts);
                    rounds++;
                    long elapsedMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
                    for (Read read : round) {
                        if (read.answer().status() == 200) {
                            assertExact(read, expected);
                            standbyReads += read.forwarded() ? 1 : 0;
                        } else {
                            assertUnavailable(read.answer(), "post " + read.post());
                            unavailable++;
                            unavailableAfterForwarding += read.forwarded() ? 1 : 0;
                            lastUnavailableMillis = elapsedMillis;
                        }
                    }
                    assertFeeds(survivor, posts, expected);
                    if (round.stream().allMatch(read -> read.answer().status() == 200 && !read.forwarded())) {
                        settledMillis = elapsedMillis;
                        break;
                    }
                    if (elapsedMillis > FAILOVER_BOUND.toMillis()) {
                        fail("%d ms after the kill the survivor still does not answer every read itself: %s", elapsedMillis,
                                round.stream().filter(read -> read.answer().status() != 200 || read.forwarded()).limit(5)
                                        .map(read -> read.post() + " -> " + read.answer().status() + " " + read.answer().body())
                                        .toList());
                    }
                }
                System.out.printf("failover: %d rounds of %d reads; %d served by the standby, %d answered 503 (%d of them"
                                + " after the dead owner did not answer; the last %d ms after the kill); every read answered by"
                                + " the survivor's own tasks %d ms after the kill%n",
                        rounds, POSTS, standbyReads, unavailable, unavailableAfterForwarding, lastUnavailableMillis, settledMillis);
                assertThat(standbyReads).as("reads of the dead instance's posts served by the standby copy before the"
                        + " rebalance (%d answered 503)", unavailable).isGreaterThan(0);
                assertThat(NodeMeters.restoresFromStart(survivorNode)).as("the survivor kept its standby copies when it took over")
                        .isEqualTo(wipedBefore);

                // The dead instance's posts are counted by the survivor now.
                List<Long> moved = doomedPosts.subList(0, 20);
                Map<Long, Long> countsBefore = moved.stream().collect(Collectors.toMap(post -> post, expected::get));
                write(survivor, moved.stream().collect(Collectors.toMap(post -> post, post -> 2L)), countsBefore);
                moved.forEach(post -> expected.merge(post, 2L, Long::sum));
                assertThat(readAll(survivorNode, survivor, posts)).allSatisfy(read -> {
                    assertExact(read, expected);
                    assertThat(read.forwarded()).as("post %d read on the survivor", read.post()).isFalse();
                });
                assertFeeds(survivor, posts, expected);
            }
        }
    }

    /** Counts each post's views from zero to its expected count, one PUT at a time per post. */
    private static void write(Http http, Map<Long, Long> views) {
        write(http, views, Map.of());
    }

    /**
     * PUTs {@code views.get(post)} views to each post, several posts at a time; every PUT must answer 200 with the
     * count it makes, counting on from {@code before} (0 for posts not in it).
     */
    private static void write(Http http, Map<Long, Long> views, Map<Long, Long> before) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            CompletableFuture.allOf(views.entrySet().stream().map(entry -> CompletableFuture.runAsync(() -> {
                long post = entry.getKey();
                long from = before.getOrDefault(post, 0L);
                for (long count = from + 1; count <= from + entry.getValue(); count++) {
                    Http.Answer answer = http.put("/v1/" + post + "/views", "{\"action\":\"increment\"}");
                    assertThat(answer.status()).as("PUT a view of post %d: %s", post, answer.body()).isEqualTo(200);
                    assertThat(answer.json().get("count").asLong()).as("count after a view of post %d", post).isEqualTo(count);
                }
            }, writers)).toArray(CompletableFuture[]::new)).join();
        } finally {
            writers.shutdownNow();
        }
    }

    /** GETs each post's views in turn, noting for each whether the node forwarded it to the owning instance. */
    private static List<Read> readAll(TallyNode node, Http http, List<Long> posts) {
        List<Read> reads = new ArrayList<>(posts.size());
        for (long post : posts) {
            long forwardedBefore = NodeMeters.forwardedReads(node);
            Http.Answer answer = http.get("/v1/" + post + "/views");
            reads.add(new Read(post, answer, NodeMeters.forwardedReads(node) > forwardedBefore));
        }
        return reads;
    }

    private static List<Long> ownedByTheOther(List<Read> reads) {
        return reads.stream().filter(Read::forwarded).map(Read::post).toList();
    }

    private static void assertExact(Read read, Map<Long, Long> expected) {
        assertThat(read.answer().status()).as("post %d: %s", read.post(), read.answer().body()).isEqualTo(200);
        assertThat(read.answer().json().get("count").asLong())
                .as("views of post %d (forwarded: %s)", read.post(), read.forwarded()).isEqualTo(expected.get(read.post()));
    }

    private static void assertUnavailable(Http.Answer answer, String what) {
        assertThat(answer.status()).as("%s: %s", what, answer.body()).isEqualTo(503);
        assertThat(answer.json().get("error").asText()).as("%s: %s", what, answer.body()).isEqualTo("unavailable");
        assertThat(answer.headers()).as("%s: %s", what, answer.body()).containsKey("Retry-After");
    }

    /** The feed, a hundred posts a request: every answer 200 with exact counts, or a 503 with a JSON error. */
    private static void assertFeeds(Http http, List<Long> posts, Map<Long, Long> expected) {
        for (int from = 0; from < posts.size(); from += 100) {
            List<Long> page = posts.subList(from, Math.min(posts.size(), from + 100));
            Http.Answer feed = http.get("/v1/counters?post_ids="
                    + page.stream().map(String::valueOf).collect(Collectors.joining(",")));
            if (feed.status() != 200) {
                assertUnavailable(feed, "feed from post " + page.get(0));
                continue;
            }
            for (JsonNode counts : feed.json().get("counters")) {
                long post = counts.get("post_id").asLong();
                assertThat(counts.get("views").asLong()).as("views of post %d in the feed", post).isEqualTo(expected.get(post));
            }
        }
    }
}
