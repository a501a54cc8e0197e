package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.cluster.ClusterView;
import dev.tally.app.cluster.FreePorts;
import dev.tally.app.cluster.LocalCluster;
import dev.tally.app.cluster.LocalProcess;
import dev.tally.app.support.Counts;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.app.support.TempDirs;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three broker processes (replication 3, {@code min.insync.replicas} 2) under a tally taking writes. The broker that
 * leads most partitions of the event topic is killed with SIGKILL and, a few seconds later, started again, while
 * clients keep writing views with Idempotency-Keys and retry each until it is acknowledged. No acknowledged write may be
 * lost, and a write may be refused (503) only while the killed broker still led a partition: until the controller
 * moved every leadership to a live replica.
 */
@Tag("integration")
@Tag("slow")
class BrokerBounceIntegrationTest {

    private static final int POSTS = 30;
    private static final int CLIENTS = 3;
    /** Metadata is polled every 100 ms and a producer learns the new leader on its next retry: this much later. */
    private static final Duration LEADER_NEWS = Duration.ofSeconds(2);

    private record Attempt(long postId, String key, long sentAt, long answeredAt, int status) {
    }

    @Test
    void shouldLoseNoAcknowledgedWriteAndRefuseWritesOnlyWhileAPartitionHasNoLiveLeader() throws Exception {
        Path dir = TempDirs.create("tally-bounce");
        int firstPort = FreePorts.block(6);
        try (LocalCluster brokers = LocalCluster.start(dir, 3, firstPort, firstPort + 3, Duration.ofMinutes(2));
             ClusterView cluster = new ClusterView(brokers.bootstrapServers());
             TallyFixture tally = TallyFixture.on(brokers.bootstrapServers(), Map.of("TALLY_REPLICATION_FACTOR", "3",
                     "TALLY_PARTITIONS", "6", "TALLY_WRITE_TIMEOUT_MS", "4000"))) {
            Http http = new Http(tally.start("node").port());
            String topic = tally.settings().topics().events();
            long origin = System.nanoTime();
            ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int id = client;
                clients.add(pool.submit(() -> write(http, id, writing, attempts, origin)));
            }
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> attempts.stream().filter(a -> a.status() == 202).count() > 50);

            int leader = cluster.leaderOfMost(topic);
            LocalProcess broker = brokers.broker(leader);
            long killedAt = millisSince(origin);
            broker.kill();
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !cluster.leaders(topic).contains(leader) && !cluster.leaders(topic).contains(-1));
            long ledByLiveBrokersAt = millisSince(origin);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> millisSince(origin) > ledByLiveBrokersAt + 3000);
            broker.start();
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> cluster.fullyReplicated(topic));
            long restoredAt = millisSince(origin);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> millisSince(origin) > restoredAt + 3000);
            writing.set(false);
            pool.shutdown();
            for (Future<?> client : clients) {
                client.get();
            }

            List<Attempt> refused = attempts.stream().filter(attempt -> attempt.status() != 202).toList();
            assertThat(refused).as("refused while the killed broker %d still led (killed at %d ms, all led by live brokers"
                    + " at %d ms)", leader, killedAt, ledByLiveBrokersAt)
                    .allSatisfy(attempt -> {
                        // Under way at some moment while the killed broker still led: sent before leadership moved
                        // (and the news reached the producer), answered after the kill.
                        assertThat(attempt.answeredAt()).isGreaterThanOrEqualTo(killedAt);
                        assertThat(attempt.sentAt()).isLessThanOrEqualTo(ledByLiveBrokersAt + LEADER_NEWS.toMillis());
                    });
            Map<Long, Map<String, Long>> expected = new TreeMap<>();
            attempts.stream().filter(attempt -> attempt.status() == 202).map(Attempt::postId).distinct()
                    .forEach(post -> expected.put(post, Map.of("views",
                            attempts.stream().filter(a -> a.status() == 202 && a.postId() == post).count())));
            List<Long> posts = LongStream.rangeClosed(1, POSTS).boxed().filter(expected::containsKey).toList();
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(Counts.read(http, posts, List.of("views"))).isEqualTo(expected));
        } finally {
            TempDirs.deleteRecursively(dir);
        }
    }

    /** Views with a key each, every one retried with its key until acknowledged: 202 once appended with acks=all. */
    private static void write(Http http, int client, AtomicBoolean writing, ConcurrentLinkedQueue<Attempt> attempts, long origin) {
        for (long seq = 0; writing.get(); seq++) {
            long post = 1 + (seq * CLIENTS + client) % POSTS;
            String key = "bounce-" + client + "-" + seq;
            while (true) {
                long sent = millisSince(origin);
                int status;
                try {
                    status = http.put("/v1/" + post + "/views", "{\"action\":\"increment\"}",
                            Map.of("Content-Type", "application/json", "Idempotency-Key", key, "Prefer", "respond-async")).status();
                } catch (UncheckedIOException noAnswer) {
                    status = 0;
                }
                attempts.add(new Attempt(post, key, sent, millisSince(origin), status));
                if (status == 202) {
                    break;
                }
            }
        }
    }

    private static long millisSince(long origin) {
        return (System.nanoTime() - origin) / 1_000_000;
    }
}
