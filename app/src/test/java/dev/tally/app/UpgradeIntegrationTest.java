package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.app.support.Http;
import dev.tally.app.support.SharedKafka;
import dev.tally.app.support.TempDirs;
import dev.tally.config.Env;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Moving a deployment's data onto the two-stage likes: a data directory written by tally 0.1 (before likes were
 * placed by post and user; `./tally run`, 4,087 events of likes, unlikes, retried Idempotency-Keys and views on 60
 * posts, written by {@code upgrade/write-v0.1-data.py}), with every count and some users' likes as 0.1 answered
 * them ({@code expected.json} in the archive). This version starts on it and serves the counts it holds; then
 * {@code ./tally rebuild} recounts the log, in which every like sits on its post's partition and is moved to its
 * own, and every count and like answers as before.
 */
@Tag("integration")
class UpgradeIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldStartOnTheDataOfTheEarlierVersionAndRebuildEveryCountOntoTheNewLayout() throws Exception {
        Path root = TempDirs.create("tally-upgrade");
        unpack("/upgrade/v0.1-data.tgz", root);
        JsonNode expected = JSON.readTree(root.resolve("expected.json").toFile());
        Map<String, String> env = new HashMap<>();
        env.put("TALLY_DATA_DIR", root.resolve("data").toString());
        env.put("TALLY_KAFKA_PORT", Integer.toString(SharedKafka.freePort()));
        env.put("TALLY_KAFKA_CONTROLLER_PORT", Integer.toString(SharedKafka.freePort()));
        env.put("TALLY_HTTP_HOST", "127.0.0.1");
        env.put("TALLY_ADVERTISED_HOST", "127.0.0.1");
        TallySettings settings = TallySettings.fromEnv(new Env(env));
        try (EmbeddedKafka kafka = TallyApp.startEmbedded(settings)) {
            TallySettings connected = settings.withBootstrapServers(kafka.bootstrapServers());
            TopicSetup.ensure(connected.shared(), connected.partitions(), connected.eventRetentionMillis());

            try (TallyNode before = start(connected)) {
                // Every count as 0.1 left it; who liked what is only found again after the rebuild (README).
                assertCounts(new Http(before.port()), expected, "as 0.1 left them, before the rebuild", false);
            }

            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            int exit = new Rebuild(connected.processor(), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
            assertThat(exit).as(progress.toString(StandardCharsets.UTF_8)).isZero();

            try (TallyNode after = start(connected)) {
                assertCounts(new Http(after.port()), expected, "rebuilt on the new layout", true);
            }
        }
    }

    private static TallyNode start(TallySettings settings) {
        TallyNode node = TallyNode.start(settings.withHttpPort(SharedKafka.freePort()),
                EnumSet.allOf(Role.class));
        Http http = new Http(node.port());
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> http.get("/health/ready").status() == 200);
        return node;
    }

    /** Every post's likes and views, and whether users 1 to 3 like each post, as 0.1 answered. */
    private static void assertCounts(Http http, JsonNode expected, String when, boolean likes) {
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> entries = expected.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String[] parts = entry.getKey().split("/");
            if (parts.length == 1) {
                JsonNode post = http.get("/v1/" + parts[0]).json();
                assertThat(post.get("likes").asLong()).as("%s: likes of post %s", when, parts[0])
                        .isEqualTo(entry.getValue().get("likes").asLong());
                assertThat(post.get("views").asLong()).as("%s: views of post %s", when, parts[0])
                        .isEqualTo(entry.getValue().get("views").asLong());
            } else if (likes) {
                JsonNode like = http.get("/v1/" + parts[0] + "/likes?user_id=" + parts[2]).json();
                assertThat(like.get("liked").asBoolean()).as("%s: user %s on post %s", when, parts[2], parts[0])
                        .isEqualTo(entry.getValue().asBoolean());
            } else {
                continue;
            }
            checked++;
        }
        assertThat(checked).isEqualTo(likes ? 60 * 4 : 60);
    }

    private static void unpack(String resource, Path into) throws IOException, InterruptedException {
        Path archive = into.resolve("data.tgz");
        try (InputStream in = UpgradeIntegrationTest.class.getResourceAsStream(resource)) {
            Files.copy(in, archive);
        }
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(tar.waitFor()).as("tar").isZero();
    }
}
