package dev.tally.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that Jetty refuses before any route runs, and a few that routing refuses, sent byte for byte over raw
 * sockets so that Jetty's own answers are seen: every one is tally's JSON error shape, with the status that says
 * what was wrong, and no route processed any of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {

    private final AtomicInteger processed = new AtomicInteger();
    private Javalin app;

    /** The bytes a client sends, what it does after, and the status it must get. */
    record Hostile(String description, String request, boolean halfClose, int status) {

        @Override
        public String toString() {
            return description + " -> " + status;
        }
    }

    @BeforeAll
    void start() {
        app = TallyHttp.create(List.of(new Health()::routes, config -> {
            config.routes.put("/items/{id}", ctx -> ctx.json(processed.addAndGet(JsonBody.read(ctx, 1024).length)));
            config.routes.get("/items/{id}", ctx -> ctx.json(RequestFields.positiveId("id", ctx.pathParam("id"))));
        }), TallyHttp.DEFAULT_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE).start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        app.stop();
    }

    static Stream<Hostile> hostileRequests() {
        return Stream.of(
                get("a header block of 20 KB", "/items/1", "X-Padding: " + "a".repeat(20_000) + "\r\n", 431),
                get("a URL of 20 KB", "/items/" + "1".repeat(20_000), "", 414),
                get("%00 in the path", "/items/%00", "", 400),
                get("%00 inside a segment", "/items/1%002", "", 400),
                get("/../ in the path", "/items/../items/1", "", 400),
                get("/../ above the root", "/../items/1", "", 400),
                get("/./ in the path", "/items/./1", "", 400),
                get("an encoded dot segment", "/items/%2e%2e/1", "", 400),
                get("an encoded slash", "/items/1%2F2", "", 400),
                get("an empty segment", "/items//1", "", 400),
                raw("CONNECT to another host", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", false, 400),
                raw("CONNECT with a path", "CONNECT /items/1 HTTP/1.1\r\nHost: x\r\n\r\n", false, 400),
                raw("a garbage request line", "GARBAGE\r\n\r\n", false, 400),
                raw("an HTTP/0.9 request line", "GET /items/1\r\nHost: x\r\n\r\n", false, 505),
                raw("an unknown HTTP version", "GET /items/1 HTTP/9.9\r\nHost: x\r\n\r\n", false, 505),
                raw("a control character in a header", "GET /items/1 HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n", false, 400),
                raw("a body half-closed after 5 of 20 bytes", put(20) + "{\"a\":", true, 400),
                raw("a body over the 1 MB limit by its Content-Length", put(5_000_000) + "{", false, 413),
                raw("a chunked body over the 1 MB limit", "PUT /items/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + ("FFFF\r\n" + " ".repeat(0xFFFF) + "\r\n").repeat(16) + "0\r\n\r\n", false, 413),
                get("an unknown route", "/nowhere", "", 404),
                raw("a method the route does not have", "DELETE /items/1 HTTP/1.1\r\nHost: x\r\n\r\n", false, 405),
                raw("a method no route has", "BREW /items/1 HTTP/1.1\r\nHost: x\r\n\r\n", false, 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void shouldAnswerAHostileRequestWithItsStatusInTheJsonErrorShape(Hostile hostile) throws Exception {
        int processedBefore = processed.get();
        RawConnection.Answer answer;
        try (RawConnection connection = new RawConnection(app.port())) {
            connection.send(hostile.request());
            if (hostile.halfClose()) {
                connection.endOutput();
            }
            answer = connection.read();
        }

        assertThat(answer.status()).as(answer.toString()).isEqualTo(hostile.status());
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        JsonNode error = Json.mapper().readTree(answer.body());
        assertThat(error.get("error").asText()).isEqualTo(HttpErrors.codeFor(hostile.status()));
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.size()).isEqualTo(2);
        assertThat(processed).hasValue(processedBefore);
    }

    @Test
    void shouldStillProcessAWholeBodyAfterTheHostileOnes() {
        try (RawConnection connection = new RawConnection(app.port())) {
            assertThat(connection.send(put(7) + "{\"a\":1}").read().body()).isEqualTo("7");
        }
    }

    private static Hostile get(String description, String path, String headers, int status) {
        return new Hostile(description, "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Connection: close\r\n\r\n", false, status);
    }

    private static Hostile raw(String description, String request, boolean halfClose, int status) {
        return new Hostile(description, request, halfClose, status);
    }

    private static String put(long contentLength) {
        return "PUT /items/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }
}
