package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.CountModel;
import dev.tally.app.support.Counts;
import dev.tally.app.support.Http;
import dev.tally.app.support.ProcessorProcess;
import dev.tally.app.support.TallyFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The processor, a JVM of its own, is killed with SIGKILL while clients keep writing and retrying every request,
 * then started again on the same state directory. Exactly-once processing must leave every count exact: nothing
 * the dead processor had half-done counts twice, nothing appended while it was dead is lost.
 */
@Tag("integration")
@Tag("slow")
class ProcessorCrashIntegrationTest {

    private static final int POSTS = 10;
    private static final int LIKERS_PER_POST = 12;
    private static final int UNLIKERS_PER_POST = 4;
    private static final int VIEWS_PER_POST = 16;
    private static final int UNKEYED_VIEWS_PER_POST = 16;
    private static final int CLIENTS = 8;

    /**
     * One client request. With a key it is sent twice, as by a client that retries; without one, once: only
     * exactly-once processing keeps a crash from counting such a view twice or not at all.
     */
    private record Write(long postId, String counter, String body, String key) {
    }

    @Test
    void shouldKeepEveryCountExactWhenTheProcessorIsKilledInTheMiddleOfRetriedWrites() throws Exception {
        // A write answers 202 after a second without a processor, so clients keep going through the outage; the
        // group gives up on the killed processor after 10 s instead of 45, so the restarted one gets to work sooner.
        try (TallyFixture tally = TallyFixture.create(Map.of(
                "TALLY_WRITE_CONFIRM_TIMEOUT_MS", "1000", "TALLY_SESSION_TIMEOUT_MS", "10000"))) {
            Http ingest = new Http(tally.start("ingest", EnumSet.of(Role.INGEST)).port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ingest.get("/health/ready").status() == 200);

            List<List<Write>> clients = scripts();
            int total = clients.stream().flatMap(List::stream).mapToInt(write -> write.key() == null ? 1 : 2).sum();
            AtomicInteger answered = new AtomicInteger();
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            ProcessorProcess crashing = ProcessorProcess.start(tally, "processor");
            ProcessorProcess restarted = null;
            try {
                List<Future<?>> running = new ArrayList<>();
                for (List<Write> script : clients) {
                    running.add(pool.submit(() -> script.forEach(write -> {
                        for (int copy = 0; copy < (write.key() == null ? 1 : 2); copy++) {
                            Http.Answer answer = ingest.put("/v1/" + write.postId() + "/" + write.counter(), write.body(),
                                    write.key() == null ? Map.of("Content-Type", "application/json")
                                            : Map.of("Content-Type", "application/json", "Idempotency-Key", write.key()));
                            statuses.add(answer.status());
                            answered.incrementAndGet();
                        }
                    })));
                }
                Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> answered.get() >= total / 4);
                crashing.kill();
                int answeredAtKill = answered.get();
                restarted = ProcessorProcess.start(tally, "processor");
                ProcessorProcess processor = restarted;
                for (Future<?> client : running) {
                    client.get();
                }
                assertThat(answeredAtKill).as("killed mid-stream").isLessThan(total);
                assertThat(statuses).hasSize(total).allSatisfy(status -> assertThat(status).isIn(200, 202));

                Http reads = new Http(processor.port());
                List<Long> posts = LongStream.rangeClosed(1, POSTS).boxed().toList();
                Map<Long, Map<String, Long>> expected = new TreeMap<>();
                posts.forEach(post -> expected.put(post, Map.of("likes", (long) LIKERS_PER_POST,
                        "views", (long) VIEWS_PER_POST + UNKEYED_VIEWS_PER_POST)));
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(Counts.read(reads, posts, CountModel.COUNTERS))
                                .as("see %s", processor.log()).isEqualTo(expected));
                assertThat(reads.get("/v1/1/likes?user_id=1").json().get("liked").asBoolean()).isTrue();
                assertThat(reads.get("/v1/1/likes?user_id=" + (LIKERS_PER_POST + 1)).json().get("liked").asBoolean()).isFalse();
            } finally {
                pool.shutdownNow();
                crashing.close();
                if (restarted != null) {
                    restarted.close();
                }
            }
        }
    }

    /**
     * Each client's writes in order. Per post: users 1..12 like it, users 13..16 like then unlike it (in that order,
     * by one client, so the unlike is appended after the like), 16 retried views and 16 views sent once; shuffled over
     * the clients.
     */
    private static List<List<Write>> scripts() {
        List<List<Write>> scripts = new ArrayList<>();
        for (long post = 1; post <= POSTS; post++) {
            for (long user = 1; user <= LIKERS_PER_POST + UNLIKERS_PER_POST; user++) {
                List<Write> script = new ArrayList<>();
                script.add(new Write(post, "likes", "{\"action\":\"increment\",\"user_id\":" + user + "}", "like-" + user));
                if (user > LIKERS_PER_POST) {
                    script.add(new Write(post, "likes", "{\"action\":\"decrement\",\"user_id\":" + user + "}", "unlike-" + user));
                }
                scripts.add(script);
            }
            for (int view = 0; view < VIEWS_PER_POST; view++) {
                scripts.add(List.of(new Write(post, "views", "{\"action\":\"increment\"}", "view-" + view)));
            }
            for (int view = 0; view < UNKEYED_VIEWS_PER_POST; view++) {
                scripts.add(List.of(new Write(post, "views", "{\"action\":\"increment\"}", null)));
            }
        }
        Collections.shuffle(scripts, new Random(3));
        // Hand the scripts to a fixed number of clients, each running its share one after another.
        List<List<Write>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new ArrayList<>());
        }
        for (int i = 0; i < scripts.size(); i++) {
            clients.get(i % CLIENTS).addAll(scripts.get(i));
        }
        return clients;
    }
}
