package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.ApiException;
import dev.tally.http.TallyHttp;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The write routes on a real server, with the sinks as recorders: what is answered, and what is written. */
class IngestRoutesTest {

    private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingSink writes = new RecordingSink();
    private final RecordingSink batches = new RecordingSink();
    private final IngestRoutes routes = new IngestRoutes(new WriteParser(CounterCatalog.defaults(), Clock.systemUTC()),
            writes, batches, 1024, new IngestMeters(registry));
    private final Javalin app = TallyHttp.create(List.of(routes::registerBatch, routes::registerWrites),
            TallyHttp.MIN_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE);

    @Test
    void shouldAnswerAWriteWithTheCountThatIncludesIt() {
        writes.answering((event, until) -> CompletableFuture.completedFuture(new WriteOutcome.Counted(
                new CounterUpdate(event.postId(), event.counter(), 8, AT, event.eventId(), true))));

        JavalinTest.test(app, (server, client) -> {
            JsonNode answer = json(put(client, "/v1/3/likes", "{\"action\":\"increment\",\"user_id\":5}", null), 200);
            assertThat(answer.get("count").asLong()).isEqualTo(8);
            assertThat(answer.get("liked").asBoolean()).isTrue();
        });
        assertThat(writes.written()).singleElement().satisfies(written -> {
            assertThat(written.until()).isEqualTo(EventSink.Wait.COUNTED);
            assertThat(written.event().userId()).isEqualTo(5);
        });
        assertThat(registry.get(IngestMeters.ANSWERS).tag("status", "200").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldAnswer202WhenTheCountIsNotConfirmedInTimeOrNotWanted() {
        JavalinTest.test(app, (server, client) -> {
            assertThat(json(put(client, "/v1/3/views", "{\"action\":\"increment\"}", null), 202).get("status").asText())
                    .isEqualTo("accepted");
            Response async = put(client, "/v1/3/views", "{\"action\":\"increment\"}", "respond-async");
            assertThat(async.headers().get("Preference-Applied")).containsExactly("respond-async");
            assertThat(json(async, 202).get("event_id").asText()).isEqualTo(writes.written().get(1).event().eventId().toString());
        });
        assertThat(writes.written()).extracting(RecordingSink.Written::until)
                .containsExactly(EventSink.Wait.COUNTED, EventSink.Wait.DURABLE);
    }

    @Test
    void shouldAnswer503WhenKafkaDidNotTakeTheEvent() {
        writes.answering((event, until) -> CompletableFuture.failedFuture(ApiException.unavailable("no leader; retry")));

        JavalinTest.test(app, (server, client) ->
                assertThat(json(put(client, "/v1/3/views", "{\"action\":\"increment\"}", null), 503).get("error").asText())
                        .isEqualTo("unavailable"));
        assertThat(registry.get(IngestMeters.ANSWERS).tag("status", "503").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldWriteNothingForARefusedRequest() {
        JavalinTest.test(app, (server, client) -> {
            json(put(client, "/v1/3/likes", "{\"action\":\"increment\"}", null), 400);
            json(put(client, "/v1/3/views", "{\"action\":\"increment\",\"extra\":1}", null), 400);
            json(client.post("/v1/events", "{\"events\":[{\"post_id\":1,\"counter\":\"views\",\"action\":\"increment\"},{}]}",
                    request -> request.header("Content-Type", "application/json")), 400);
        });
        assertThat(writes.written()).isEmpty();
        assertThat(batches.written()).isEmpty();
        assertThat(registry.get(IngestMeters.REJECTED).counters()).hasSize(1);
    }

    @Test
    void shouldAcceptABatchOnceEveryEventIsDurableListingTheirIdsInOrder() {
        JavalinTest.test(app, (server, client) -> {
            JsonNode answer = json(client.post("/v1/events", "{\"events\":[{\"post_id\":1,\"counter\":\"views\",\"action\":\"increment\"},"
                    + "{\"post_id\":2,\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":9}]}",
                    request -> request.header("Content-Type", "application/json")), 202);
            assertThat(answer.get("accepted").asInt()).isEqualTo(2);
            assertThat(answer.get("event_ids").get(0).asText()).isEqualTo(batches.written().get(0).event().eventId().toString());
        });
        assertThat(batches.written()).extracting(RecordingSink.Written::until).containsOnly(EventSink.Wait.DURABLE);
        assertThat(writes.written()).isEmpty();
    }

    private static Response put(HttpClient client, String path, String body, String prefer) {
        return client.put(path, body, request -> {
            request.header("Content-Type", "application/json");
            if (prefer != null) {
                request.header("Prefer", prefer);
            }
        });
    }

    private static JsonNode json(Response response, int status) throws Exception {
        String body = response.body().string();
        assertThat(response.code()).as(body).isEqualTo(status);
        return Json.mapper().readTree(body);
    }
}
