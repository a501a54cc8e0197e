package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.SharedKafka;
import dev.tally.app.support.TempDirs;
import dev.tally.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The only broker goes away and comes back, under a running tally: reads keep answering from local state with the
 * exact counts the whole time, a write fails fast with a JSON 503 rather than hanging, and its retry with the same
 * Idempotency-Key counts once the broker is back. Runs on a broker of its own, since it stops it.
 */
@Tag("slow")
class BrokerOutageIntegrationTest {

    private static final int POSTS = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(12);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void shouldAnswerEveryReadFromLocalStateWhileTheBrokerIsDownAndCountARetriedWriteOnceItIsBack() throws Exception {
        Path brokerDir = TempDirs.create("tally-outage-kafka");
        int brokerPort = SharedKafka.freePort();
        int controllerPort = SharedKafka.freePort();
        EmbeddedKafka broker = EmbeddedKafka.start(brokerDir, brokerPort, controllerPort);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("TALLY_DATA_DIR", TempDirs.create("tally-outage").toString());
        env.put("TALLY_HTTP_PORT", Integer.toString(SharedKafka.freePort()));
        env.put("TALLY_ADVERTISED_HOST", "127.0.0.1");
        env.put("TALLY_HTTP_HOST", "127.0.0.1");
        env.put("TALLY_PARTITIONS", "3");
        env.put("TALLY_WRITE_TIMEOUT_MS", Long.toString(WRITE_TIMEOUT.toMillis()));
        TallyApp app = null;
        try {
            app = TallyApp.start(TallySettings.fromEnv(new Env(env)), EnumSet.allOf(Role.class), false);
            TallyApp running = app;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> running.node().isProcessorRunning());
            Http http = new Http(app.port());
            for (int post = 1; post <= POSTS; post++) {
                for (int user = 1; user <= likes(post); user++) {
                    assertThat(http.put("/v1/" + post + "/likes", "{\"action\":\"increment\",\"user_id\":" + user + "}")
                            .status()).isEqualTo(200);
                }
            }

            broker.close();
            long reads = 0;
            long end = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < end) {
                for (int post = 1; post <= POSTS; post++) {
                    Http.Answer answer = http.get("/v1/" + post + "/likes");
                    assertThat(answer.status()).as("GET of post %d while the broker is down: %s", post, answer.body())
                            .isEqualTo(200);
                    assertThat(answer.json().get("count").asLong()).isEqualTo(likes(post));
                    reads++;
                }
                Thread.sleep(100);
            }
            assertThat(reads).isGreaterThan(POSTS * 10L);

            Map<String, String> retried = Map.of("Idempotency-Key", "outage-retry-1", "Content-Type", "application/json");
            String newLike = "{\"action\":\"increment\",\"user_id\":1000}";
            // Answered at all: the test client gives up after 30 s, Kafka's own delivery timeout is 2 minutes, so a
            // 503 here is tally's TALLY_WRITE_TIMEOUT_MS at work (IngestSettingsTest checks the producer is given it).
            Http.Answer refused = http.put("/v1/1/likes", newLike, retried);
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("error").asText()).isNotBlank();
            assertThat(refused.json().get("message").asText()).contains("Idempotency-Key");

            broker = EmbeddedKafka.start(brokerDir, brokerPort, controllerPort);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> http.put("/v1/1/likes", newLike, retried).status() == 200);
            Http.Answer again = http.put("/v1/1/likes", newLike, retried);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("count").asLong()).isEqualTo(likes(1) + 1);
            for (int post = 2; post <= POSTS; post++) {
                assertThat(http.get("/v1/" + post + "/likes").json().get("count").asLong()).isEqualTo(likes(post));
            }
            assertThat(http.get("/v1/1/likes").json().get("count").asLong()).isEqualTo(likes(1) + 1);
        } finally {
            if (app != null) {
                app.close();
            }
            broker.close();
        }
    }

    private static int likes(int post) {
        return post % 4 + 1;
    }
}
