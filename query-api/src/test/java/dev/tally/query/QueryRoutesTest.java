package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.http.TallyHttp;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.javalin.testtools.JavalinTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.LongStream;
import java.util.zip.GZIPInputStream;
import io.javalin.testtools.Response;
import org.junit.jupiter.api.Test;

class QueryRoutesTest {

    private final FakeCluster cluster = new FakeCluster();
    private final Javalin app = TallyHttp.create(List.of(new QueryRoutes(
            new CountService(CounterCatalog.defaults(), cluster, cluster, cluster, null,
            new SimpleMeterRegistry().counter("standby"), "local", false))::register), TallyHttp.MIN_THREADS,
            TallyHttp.DEFAULT_BODY_DEADLINE);

    @Test
    void shouldAnswerOneCounterAndWhetherTheUserIsCountedInIt() {
        cluster.ownedHere(8, 1).counted(8, "likes", 2, 1_800_000_000_000L).liked(8, "likes", 5);

        JavalinTest.test(app, (server, client) -> {
            JsonNode body = json(client.get("/v1/8/likes?user_id=5"), 200);
            assertThat(body.get("count").asLong()).isEqualTo(2);
            assertThat(body.get("liked").asBoolean()).isTrue();
            assertThat(body.get("updated_at").asText()).isEqualTo("2027-01-15T08:00:00Z");
        });
    }

    @Test
    void shouldAnswerEveryCounterOfAPostAndOfAFeed() {
        cluster.ownedHere(8, 1).counted(8, "views", 30, 1_800_000_000_000L);

        JavalinTest.test(app, (server, client) -> {
            assertThat(json(client.get("/v1/8"), 200).get("views").asLong()).isEqualTo(30);
            JsonNode feed = json(client.get("/v1/counters?post_ids=8,9"), 200).get("counters");
            assertThat(feed).hasSize(2);
            assertThat(feed.get(1).get("likes").asLong()).isZero();
        });
    }

    @Test
    void shouldRefuseBadIdsUnknownCountersAndOverlongFeedsWithAJsonError() {
        String tooMany = String.join(",", java.util.stream.LongStream.rangeClosed(1, 101).mapToObj(Long::toString).toList());
        JavalinTest.test(app, (server, client) -> {
            assertThat(json(client.get("/v1/0/likes"), 400).get("message").asText()).contains("post_id");
            assertThat(json(client.get("/v1/8/shares"), 400).get("message").asText()).contains("unknown counter");
            assertThat(json(client.get("/v1/8/likes?user_id=-1"), 400).get("message").asText()).contains("user_id");
            assertThat(json(client.get("/v1/counters?post_ids=1,1"), 400).get("message").asText()).contains("twice");
            assertThat(json(client.get("/v1/counters?post_ids=" + tooMany), 400).get("message").asText()).contains("at most 100");
        });
        assertThat(cluster.forwardedPaths()).isEmpty();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileThePostIsRebalanced() {
        cluster.rebalancing(4);

        JavalinTest.test(app, (server, client) -> {
            Response response = client.get("/v1/4/likes");
            assertThat(response.headers().get("Retry-After").get(0)).isNotBlank();
            assertThat(json(response, 503).get("error").asText()).isEqualTo("unavailable");
        });
    }

    @Test
    void shouldRefuseAForwardedReadForAPostItDoesNotOwn() {
        cluster.ownedElsewhere(4, 2, true);

        JavalinTest.test(app, (server, client) -> {
            Response response = client.get("/v1/4/likes", request -> request.header(RemoteCounts.FORWARDED_HEADER, "1"));
            assertThat(json(response, 503).get("message").asText()).contains("moving");
        });
        assertThat(cluster.forwardedPaths()).isEmpty();
    }

    @Test
    void shouldGzipAFeedButNotASingleCountForAClientThatAcceptsGzip() {
        String twenty = String.join(",", LongStream.rangeClosed(1, 20).mapToObj(Long::toString).toList());

        JavalinTest.test(app, (server, client) -> {
            HttpResponse<byte[]> feed = getAcceptingGzip(server.port(), "/v1/counters?post_ids=" + twenty);
            assertThat(feed.statusCode()).isEqualTo(200);
            assertThat(feed.headers().firstValue("Content-Encoding")).contains("gzip");
            try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(feed.body()))) {
                assertThat(Json.mapper().readTree(unzipped).get("counters")).hasSize(20);
            }

            HttpResponse<byte[]> single = getAcceptingGzip(server.port(), "/v1/8/likes");
            assertThat(single.statusCode()).isEqualTo(200);
            assertThat(single.headers().firstValue("Content-Encoding")).as("a body under %d bytes", TallyHttp.GZIP_MIN_BYTES).isEmpty();
            assertThat(Json.mapper().readTree(single.body()).get("count").asLong()).isZero();
        });
    }

    private static HttpResponse<byte[]> getAcceptingGzip(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(Response response, int status) throws Exception {
        assertThat(response.code()).isEqualTo(status);
        assertThat(response.headers().get("Content-Type").get(0)).startsWith("application/json");
        return Json.mapper().readTree(response.body().string());
    }
}
