package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.NodeMeters;
import dev.tally.app.support.TallyFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client that closes its stream, over a raw socket as a browser tab does when it goes away: the stream stops
 * counting as a live viewer within 2 s, and its per-address slot is free again at the same moment, with the
 * keep-alive (15 s) far away.
 */
@Tag("integration")
class ClosedStreamIntegrationTest {

    @Test
    void shouldStopCountingAClosedStreamWithinTwoSecondsAndFreeItsSlot() throws Exception {
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_STREAM_MAX_PER_CLIENT", "1"))) {
            TallyNode node = tally.start("only");
            Http http = new Http(node.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);
            long post = 77;
            try (Socket socket = new Socket("127.0.0.1", node.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v1/" + post + "/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith("HTTP/1.1 200");
                String line;
                while ((line = in.readLine()) != null && !line.startsWith("event: counts")) {
                    // headers, then the first event
                }
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        http.get("/v1/" + post).json().get("live_users").asLong() == 1);
                assertThat(http.get("/v1/" + post + "/stream").status()).as("the one slot is taken").isEqualTo(429);
            }
            long closedAt = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() ->
                    NodeMeters.openStreams(node) == 0 && http.get("/v1/" + post).json().get("live_users").asLong() == 0);
            double seconds = (System.nanoTime() - closedAt) / 1e9;
            assertThat(seconds).isLessThan(2.0);
            try (var again = dev.tally.app.support.EventStream.open(node.port(), "/v1/" + post + "/stream")) {
                assertThat(again.status()).as("the slot is free again").isEqualTo(200);
            }
        }
    }
}
