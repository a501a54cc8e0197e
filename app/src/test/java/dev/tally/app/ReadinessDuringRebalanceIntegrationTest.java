package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Readiness through a rebalance: a second processor joins, every instance rebalances, and the first one must stay
 * ready all along, since it keeps answering reads from its stores and standbys or by forwarding them. A readiness
 * that followed Streams' RUNNING state would take every instance out of the load balancer at once, each time one
 * joins or leaves.
 */
@Tag("integration")
class ReadinessDuringRebalanceIntegrationTest {

    @Test
    void shouldStayReadyWhileASecondProcessorJoinsAndPartitionsMove() throws Exception {
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_STANDBY_REPLICAS", "1"))) {
            TallyNode first = tally.start("first");
            Http http = new Http(first.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);
            assertThat(http.put("/v1/601/likes", "{\"action\":\"increment\",\"user_id\":1}").status()).isEqualTo(200);
            double rebalancesBefore = rebalances(first);

            List<Integer> answers = new CopyOnWriteArrayList<>();
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
            poller.scheduleWithFixedDelay(() -> answers.add(http.get("/health/ready").status()), 0, 5, TimeUnit.MILLISECONDS);
            try {
                TallyNode second = tally.start("second");
                Http secondHttp = new Http(second.port());
                // Through the whole move: the first instance rebalanced, and both run with the partitions settled
                // (reads of the post answer on both, from whichever instance owns it).
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> rebalances(first) > rebalancesBefore
                        && first.isProcessorRunning() && second.isProcessorRunning()
                        && secondHttp.get("/health/ready").status() == 200
                        && http.get("/v1/601/likes").status() == 200 && secondHttp.get("/v1/601/likes").status() == 200);
            } finally {
                poller.shutdownNow();
                assertThat(poller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(answers).as("polls of readiness during the rebalance").hasSizeGreaterThan(20);
            Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting()));
            assertThat(byStatus).as("readiness answers of the first instance, by status").containsOnlyKeys(200);
        }
    }

    private static double rebalances(TallyNode node) {
        return node.metrics().registry().get(ProcessorWiring.PROCESSOR_REBALANCES).functionCounter().count();
    }
}
