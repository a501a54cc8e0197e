package dev.tally.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared HTTP shell on a real port: one JSON error shape, readiness, metrics. */
class TallyHttpTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private Javalin app;
    private volatile boolean ready;

    @BeforeEach
    void start() {
        HttpMetrics metrics = new HttpMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Health health = new Health().check("dependency", () -> ready);
        app = TallyHttp.create(List.of(metrics::register, health::routes, config -> {
            config.routes.get("/items/{id}", ctx -> ctx.json(RequestFields.positiveId("id", ctx.pathParam("id"))));
            config.routes.get("/busy", ctx -> {
                throw ApiException.unavailable("try later");
            });
            config.routes.get("/boom", ctx -> {
                throw new IllegalStateException("bug");
            });
        }), TallyHttp.DEFAULT_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void shouldAnswerEveryFailureWithTheSameJsonShape() throws Exception {
        assertThat(get("/items/0")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"error\":\"bad_request\",\"message\":\"id must be an integer");
        });
        assertThat(get("/nowhere").body()).startsWith("{\"error\":\"not_found\"");
        assertThat(get("/busy")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("1");
            assertThat(r.body()).isEqualTo("{\"error\":\"unavailable\",\"message\":\"try later\"}");
        });
        assertThat(get("/boom")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).startsWith("{\"error\":\"internal_error\"").doesNotContain("bug");
        });
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri("/items/1")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.body()).startsWith("{\"error\":\"method_not_allowed\"");
    }

    @Test
    void shouldBeReadyOnlyWhenEveryCheckPasses() throws Exception {
        assertThat(get("/health/live")).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(r.body()).isEqualTo("{\"status\":\"up\"}");
        });
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        ready = true;
        assertThat(get("/health/ready").body()).isEqualTo("{\"status\":\"up\",\"checks\":{\"dependency\":\"up\"}}");
    }

    @Test
    void shouldPublishServerTimesPerRouteForPrometheus() throws Exception {
        get("/items/5");
        get("/items/6");
        String scrape = get("/metrics").body();
        assertThat(scrape).contains("http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/items/{id}\"} 2");
        assertThat(scrape).contains("http_server_requests_seconds_bucket{method=\"GET\",status=\"200\",uri=\"/items/{id}\",le=\"0.001\"}");
        assertThat(scrape).as("Jetty's request threads and connections").containsPattern("(?m)^jetty_threads_busy ")
                .containsPattern("(?m)^jetty_connections_current_connections\\{");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    @Test
    void shouldRefuseTooFewThreadsToServeAnyRequest() {
        assertThatThrownBy(() -> TallyHttp.create(List.of(), TallyHttp.MIN_THREADS - 1, TallyHttp.DEFAULT_BODY_DEADLINE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTP threads");
    }

    @Test
    void shouldRefuseABodyDeadlineThatWouldRefuseEveryBody() {
        assertThatThrownBy(() -> TallyHttp.create(List.of(), TallyHttp.DEFAULT_THREADS, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("body deadline");
    }

    @Test
    void shouldServeManyConcurrentRequestsWithTheFewestThreadsAllowed() throws Exception {
        Javalin small = TallyHttp.create(List.of(config -> config.routes.get("/ping", ctx -> ctx.result("pong"))),
                TallyHttp.MIN_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE).start("127.0.0.1", 0);
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI ping = URI.create("http://127.0.0.1:" + small.port() + "/ping");
            List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, 64)
                    .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()))
                    .toList();
            assertThat(answers).allSatisfy(answer -> assertThat(answer.get().body()).isEqualTo("pong"));
        } finally {
            small.stop();
        }
    }
}
