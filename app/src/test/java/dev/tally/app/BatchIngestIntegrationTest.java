package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.StringJoiner;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class BatchIngestIntegrationTest {

    @Test
    void shouldCountEveryEventOfABatchOnceEvenWhenTheBatchIsRetried() {
        try (TallyFixture tally = TallyFixture.create()) {
            int port = tally.start("node").port();
            Http http = new Http(port);
            StringJoiner events = new StringJoiner(",", "{\"events\":[", "]}");
            for (int user = 1; user <= 20; user++) {
                events.add("{\"post_id\":5,\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":" + user
                        + ",\"idempotency_key\":\"like-" + user + "\"}");
                events.add("{\"post_id\":6,\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":\"view-" + user + "\"}");
            }
            Http.Answer first = post(http, port, events.toString());
            assertThat(first.status()).isEqualTo(202);
            assertThat(first.json().get("accepted").asInt()).isEqualTo(40);
            assertThat(first.json().get("event_ids")).hasSize(40);
            Http.Answer retry = post(http, port, events.toString());
            assertThat(retry.json().get("event_ids")).isEqualTo(first.json().get("event_ids"));

            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(http.get("/v1/5/likes").json().get("count").asLong()).isEqualTo(20);
                assertThat(http.get("/v1/6/views").json().get("count").asLong()).isEqualTo(20);
            });
        }
    }

    @Test
    void shouldRejectTheWholeBatchNamingTheBadEventAndAppendNothing() {
        try (TallyFixture tally = TallyFixture.create()) {
            int port = tally.start("node").port();
            Http http = new Http(port);
            String batch = "{\"events\":["
                    + "{\"post_id\":8,\"counter\":\"views\",\"action\":\"increment\"},"
                    + "{\"post_id\":8,\"counter\":\"views\",\"action\":\"increment\"},"
                    + "{\"post_id\":8,\"counter\":\"likes\",\"action\":\"increment\"}]}";
            Http.Answer answer = post(http, port, batch);
            assertThat(answer.status()).isEqualTo(400);
            JsonNode error = answer.json();
            assertThat(error.get("error").asText()).isEqualTo("bad_request");
            assertThat(answer.body()).contains("events[2]").contains("user_id is required");

            // A later valid write is counted alone: nothing of the rejected batch was appended.
            assertThat(http.put("/v1/8/views", "{\"action\":\"increment\"}").json().get("count").asLong()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseMoreThanAThousandEventsWith413() {
        try (TallyFixture tally = TallyFixture.create()) {
            int port = tally.start("node").port();
            Http http = new Http(port);
            StringJoiner events = new StringJoiner(",", "{\"events\":[", "]}");
            for (int i = 0; i < 1001; i++) {
                events.add("{\"post_id\":9,\"counter\":\"views\",\"action\":\"increment\"}");
            }
            Http.Answer answer = post(http, port, events.toString());
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.json().get("error").asText()).isEqualTo("payload_too_large");
            assertThat(http.get("/v1/9/views").json().get("count").asLong()).isZero();
        }
    }

    private static Http.Answer post(Http http, int port, String json) {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }
}
