package dev.tally.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request's headers and then its body slowly, or stop half-way, hold no request thread: with
 * the default thread count, GETs and {@code /health/live} answer in their normal time while they trickle, and each
 * trickling request is refused with a JSON 408 at the body deadline, having reached no route. Before the body was
 * read ahead of dispatch, five such clients stalled every route for Jetty's 30 s idle timeout.
 */
class SlowClientsTest {

    /** The most a GET may take while clients trickle: the brief's "normal latency" with room for a busy 2-core host. */
    private static final Duration NORMAL_LATENCY = Duration.ofMillis(500);

    private final AtomicInteger processed = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private final List<RawConnection> slowClients = Collections.synchronizedList(new ArrayList<>());
    private Javalin app;

    @AfterEach
    void stop() {
        trickler.shutdownNow();
        slowClients.forEach(RawConnection::close);
        readers.shutdownNow();
        app.stop();
    }

    @Test
    void shouldAnswerEveryRouteWhileFiveClientsStopHalfWayThroughTheirBodies() throws Exception {
        Duration deadline = Duration.ofSeconds(3);
        start(deadline);
        Latencies baseline = getRepeatedly(Duration.ofSeconds(1));

        List<CompletableFuture<Answered>> answers = IntStream.range(0, 5)
                .mapToObj(i -> slowPut(20).send("{"))
                .map(this::answerOf)
                .toList();
        awaitConnections(5);
        Latencies stalled = getRepeatedly(Duration.ofSeconds(1));

        report("5 stalled bodies", baseline, stalled);
        assertThat(stalled.max()).isLessThan(NORMAL_LATENCY);
        assertRefusedAtTheDeadline(answers, deadline, stalled.endNanos());
    }

    @Test
    @Tag("slow")
    void shouldAnswerEveryRouteWhileFiftyClientsTrickleTheirBodiesAByteASecond() throws Exception {
        start(TallyHttp.DEFAULT_BODY_DEADLINE);
        Latencies baseline = getRepeatedly(Duration.ofSeconds(1));

        List<RawConnection> connections = IntStream.range(0, 50).mapToObj(i -> slowPut(100)).toList();
        List<CompletableFuture<Answered>> answers = connections.stream().map(this::answerOf).toList();
        trickler.scheduleAtFixedRate(() -> {
            for (int i = 0; i < connections.size(); i++) {
                if (!answers.get(i).isDone()) {
                    connections.get(i).send(" ");
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
        awaitConnections(50);
        Latencies trickling = getRepeatedly(TallyHttp.DEFAULT_BODY_DEADLINE.minusSeconds(3));

        report("50 bodies trickling at 1 byte/s", baseline, trickling);
        assertThat(trickling.max()).isLessThan(NORMAL_LATENCY);
        assertThat(trickling.busyThreads()).isLessThan(TallyHttp.DEFAULT_THREADS);
        assertRefusedAtTheDeadline(answers, TallyHttp.DEFAULT_BODY_DEADLINE, trickling.endNanos());
    }

    private void start(Duration bodyDeadline) throws Exception {
        app = TallyHttp.create(List.of(new Health()::routes, config -> {
            config.routes.put("/items/{id}", ctx -> ctx.json(processed.addAndGet(JsonBody.read(ctx, 1024).length)));
            config.routes.get("/items/{id}", ctx -> ctx.json(RequestFields.positiveId("id", ctx.pathParam("id"))));
        }), TallyHttp.DEFAULT_THREADS, bodyDeadline).start("127.0.0.1", 0);
        getRepeatedly(Duration.ofMillis(500)); // warms the client and the JIT, so the baseline is the normal latency
    }

    /** A connection that has sent the headers of a PUT with a body of {@code length} bytes, and none of the body. */
    private RawConnection slowPut(int length) {
        RawConnection connection = new RawConnection(app.port()).send("PUT /items/1 HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n");
        slowClients.add(connection);
        return connection;
    }

    private record Answered(RawConnection.Answer answer, long atNanos) {
    }

    private CompletableFuture<Answered> answerOf(RawConnection connection) {
        return CompletableFuture.supplyAsync(() -> {
            RawConnection.Answer answer = connection.read();
            return new Answered(answer, System.nanoTime());
        }, readers);
    }

    private void awaitConnections(int slow) {
        ServerConnector connector = (ServerConnector) app.jettyServer().server().getConnectors()[0];
        await().atMost(Duration.ofSeconds(5)).until(() -> connector.getConnectedEndPoints().size() >= slow);
    }

    /** Every slow request got a JSON 408 once its deadline had passed (not before the GETs were measured), and none reached its route. */
    private void assertRefusedAtTheDeadline(List<CompletableFuture<Answered>> answers, Duration deadline, long measuredUntil) throws Exception {
        for (CompletableFuture<Answered> pending : answers) {
            Answered answered = pending.get(deadline.toSeconds() + 10, TimeUnit.SECONDS);
            assertThat(answered.answer().status()).isEqualTo(408);
            assertThat(answered.answer().headers().get("content-type")).startsWith("application/json");
            JsonNode error = Json.mapper().readTree(answered.answer().body());
            assertThat(error.get("error").asText()).isEqualTo("request_timeout");
            assertThat(answered.atNanos()).isGreaterThan(measuredUntil);
        }
        assertThat(processed).hasValue(0);
    }

    /** GETs of a route and of {@code /health/live}, one after another for {@code span}, each timed from the client. */
    private Latencies getRepeatedly(Duration span) throws Exception {
        QueuedThreadPool threads = (QueuedThreadPool) app.jettyServer().threadPool();
        List<Long> nanos = new ArrayList<>();
        int busy = 0;
        long end = System.nanoTime() + span.toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            String path = i % 2 == 0 ? "/items/7" : "/health/live";
            long start = System.nanoTime();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            nanos.add(System.nanoTime() - start);
            assertThat(answer.statusCode()).isEqualTo(200);
            busy = Math.max(busy, threads.getBusyThreads());
        }
        return new Latencies(nanos, busy, System.nanoTime());
    }

    private record Latencies(List<Long> nanos, int busyThreads, long endNanos) {

        Duration max() {
            return Duration.ofNanos(Collections.max(nanos));
        }

        Duration median() {
            List<Long> sorted = nanos.stream().sorted().toList();
            return Duration.ofNanos(sorted.get(sorted.size() / 2));
        }

        @Override
        public String toString() {
            return "%d GETs, median %.1f ms, max %.1f ms, at most %d busy request threads".formatted(
                    nanos.size(), median().toNanos() / 1e6, max().toNanos() / 1e6, busyThreads);
        }
    }

    private static void report(String load, Latencies baseline, Latencies loaded) {
        System.out.printf("GET latency: baseline %s; with %s: %s%n", baseline, load, loaded);
    }
}
