package dev.tally.app;

import dev.tally.app.cluster.FreePorts;
import dev.tally.config.Env;
import dev.tally.runtime.Directories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * {@code tally cds-training}: one short life of a whole tally, run by the {@code ./tally} launcher once per build under
 * {@code -XX:ArchiveClassesAtExit}, so that the JVM writes the classes it loaded into an AppCDS archive that every later
 * start maps instead of loading, verifying and linking them again (a start measured 2 s, a fifth, faster here; more on a
 * machine short of CPU, where a restarted processor spent most of its first minute loading classes). It starts an
 * embedded broker, ingest, processor and queries on free ports in a temporary directory, writes and reads through HTTP
 * as a client would, then stops: the archive holds what a real start loads, and nothing of the user's data is touched.
 */
final class ClassDataTraining {

    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(100);

    private ClassDataTraining() {
    }

    /** The exit code: 0 once a write was counted and read back. */
    static int run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tally-cds-training");
        int port = FreePorts.block(3);
        Map<String, String> env = Map.of(
                "TALLY_DATA_DIR", dir.toString(),
                "TALLY_HTTP_HOST", "127.0.0.1",
                "TALLY_ADVERTISED_HOST", "127.0.0.1",
                "TALLY_HTTP_PORT", Integer.toString(port),
                "TALLY_KAFKA_PORT", Integer.toString(port + 1),
                "TALLY_KAFKA_CONTROLLER_PORT", Integer.toString(port + 2),
                "TALLY_AUTH", "none");
        TallyApp app = TallyApp.start(TallySettings.fromEnv(new Env(env)), EnumSet.allOf(Role.class), true);
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            awaitReady(client, base);
            // The paths a running tally takes most: read-your-writes PUTs of a view and a like, single and feed reads.
            int counted = send(client, HttpRequest.newBuilder(URI.create(base + "/v1/1/views"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"action\":\"increment\"}")).build());
            send(client, HttpRequest.newBuilder(URI.create(base + "/v1/1/likes"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"action\":\"increment\",\"user_id\":1}")).build());
            for (String read : List.of("/v1/1/views", "/v1/1", "/v1/counters?post_ids=1,2")) {
                send(client, HttpRequest.newBuilder(URI.create(base + read)).GET().build());
            }
            return counted == 200 ? 0 : 1;
        } finally {
            app.close();
            Directories.deleteRecursively(dir);
        }
    }

    private static void awaitReady(HttpClient client, String base) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (send(client, HttpRequest.newBuilder(URI.create(base + "/health/ready")).GET().build()) == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException("tally was not ready within " + READY_WITHIN);
    }

    private static int send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
