package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.EventTopic;
import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad write is refused at the edge with its 4xx and the one JSON error shape, and nothing reaches the
 * event topic: its end offsets are the same after the request as before it. A last, valid request proves the
 * offsets do move when something is appended, so the check can fail.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadWriteRequestsIntegrationTest {

    private static final String JSON = "application/json";
    private static final String INCREMENT = "{\"action\":\"increment\"}";
    private static final String LIKE = "{\"action\":\"increment\",\"user_id\":7}";

    private TallyFixture tally;
    private Http http;
    private String base;
    private EventTopic events;
    private long recordsAtStart;

    /** One bad request and the status it must get. */
    record Bad(String description, String method, String path, String contentType, Map<String, String> headers,
               BodyPublisher body, int status) {

        @Override
        public String toString() {
            return description + " -> " + status;
        }
    }

    @BeforeAll
    void start() {
        tally = TallyFixture.create();
        int port = tally.start("node").port();
        http = new Http(port);
        base = "http://127.0.0.1:" + port;
        events = new EventTopic(tally.bootstrapServers(), tally.settings().topics().events());
        recordsAtStart = events.records();
    }

    @AfterAll
    void stop() {
        events.close();
        tally.close();
    }

    static Stream<Bad> badRequests() {
        String huge = "x".repeat(5000);
        return Stream.of(
                // The post id in the path.
                put("post id 0", "/v1/0/views", INCREMENT, 400),
                put("negative post id", "/v1/-1/views", INCREMENT, 400),
                put("non-numeric post id", "/v1/abc/views", INCREMENT, 400),
                put("post id 2^63", "/v1/9223372036854775808/views", INCREMENT, 400),
                put("post id of 20 digits", "/v1/99999999999999999999/views", INCREMENT, 400),
                put("post id with a leading zero", "/v1/007/views", INCREMENT, 400),
                put("post id with a plus sign", "/v1/+7/views", INCREMENT, 400),
                put("fractional post id", "/v1/1.5/views", INCREMENT, 400),
                put("post id in exponent notation", "/v1/1e3/views", INCREMENT, 400),
                put("hexadecimal post id", "/v1/0x1F/views", INCREMENT, 400),
                put("post id with an encoded space", "/v1/%201/views", INCREMENT, 400),
                // The counter in the path.
                put("unknown counter", "/v1/1/comments", INCREMENT, 400),
                put("counter in capitals", "/v1/1/Likes", LIKE, 400),
                put("reserved name as counter", "/v1/1/post_id", INCREMENT, 400),
                put("very long counter name", "/v1/1/" + "v".repeat(300), INCREMENT, 400),
                put("path with an extra segment", "/v1/1/views/extra", INCREMENT, 404),
                // The body's syntax.
                put("empty body", "/v1/1/views", "", 400),
                put("truncated JSON", "/v1/1/views", "{\"action\":", 400),
                put("JSON array", "/v1/1/views", "[\"increment\"]", 400),
                put("JSON null", "/v1/1/views", "null", 400),
                put("JSON string", "/v1/1/views", "\"increment\"", 400),
                put("JSON number", "/v1/1/views", "42", 400),
                put("single-quoted JSON", "/v1/1/views", "{'action':'increment'}", 400),
                put("JSON with a comment", "/v1/1/views", "{/* hi */\"action\":\"increment\"}", 400),
                put("trailing garbage after the object", "/v1/1/views", INCREMENT + " garbage", 400),
                put("two objects in one body", "/v1/1/views", INCREMENT + INCREMENT, 400),
                put("duplicate action field", "/v1/1/views", "{\"action\":\"decrement\",\"action\":\"increment\"}", 400),
                bytes("invalid UTF-8", "/v1/1/views", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, 400),
                // The body's shape.
                put("no action", "/v1/1/views", "{}", 400),
                put("null action", "/v1/1/views", "{\"action\":null}", 400),
                put("numeric action", "/v1/1/views", "{\"action\":1}", 400),
                put("action in capitals", "/v1/1/views", "{\"action\":\"INCREMENT\"}", 400),
                put("unknown action", "/v1/1/views", "{\"action\":\"add\"}", 400),
                put("action as an array", "/v1/1/views", "{\"action\":[\"increment\"]}", 400),
                put("action as an object", "/v1/1/views", "{\"action\":{\"type\":\"increment\"}}", 400),
                put("unknown extra field", "/v1/1/views", "{\"action\":\"increment\",\"extra\":1}", 400),
                put("huge extra field under the size limit", "/v1/1/views",
                        "{\"action\":\"increment\",\"" + "k".repeat(900) + "\":1}", 400),
                put("huge extra field over the size limit", "/v1/1/views",
                        "{\"action\":\"increment\",\"note\":\"" + huge + "\"}", 413),
                put("valid body padded over 1 KiB", "/v1/1/views", INCREMENT + " ".repeat(1100), 413),
                chunked("chunked body over 1 KiB without a length", "/v1/1/views", INCREMENT + " ".repeat(2000), 413),
                // What the counter allows.
                put("decrement on views", "/v1/1/views", "{\"action\":\"decrement\"}", 400),
                put("like without a user", "/v1/1/likes", INCREMENT, 400),
                put("unlike without a user", "/v1/1/likes", "{\"action\":\"decrement\"}", 400),
                put("like with a null user", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":null}", 400),
                put("user id 0", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":0}", 400),
                put("negative user id", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":-5}", 400),
                put("user id as a string", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":\"5\"}", 400),
                put("fractional user id", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":1.5}", 400),
                put("user id 2^63", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":9223372036854775808}", 400),
                put("boolean user id", "/v1/1/likes", "{\"action\":\"increment\",\"user_id\":true}", 400),
                // Content type and method.
                typed("no content type", null, INCREMENT, 415),
                typed("text/plain", "text/plain", INCREMENT, 415),
                typed("application/xml", "application/xml", "<action>increment</action>", 415),
                typed("a form", "application/x-www-form-urlencoded", "action=increment", 415),
                typed("multipart", "multipart/form-data; boundary=x", INCREMENT, 415),
                typed("a type that only starts like JSON", "application/jsonp", INCREMENT, 415),
                method("POST", 405),
                // A reset needs TALLY_AUTH=jwt and the admin role; without authentication nobody has it.
                method("DELETE", 403),
                method("PATCH", 405),
                // The Idempotency-Key header.
                keyed("Idempotency-Key of 129 characters", "k".repeat(129), 400),
                keyed("Idempotency-Key with a space", "retry 1", 400),
                keyed("empty Idempotency-Key", "", 400),
                keyed("Idempotency-Key with a tab", "retry\t1", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    @Order(1)
    void shouldRefuseABadWriteWithAJsonErrorAndProduceNothing(Bad bad) {
        Map<TopicPartition, Long> before = events.endOffsets();

        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + bad.path())).method(bad.method(), bad.body());
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        bad.headers().forEach(request::header);
        Http.Answer answer = http.send(request);

        assertThat(answer.status()).as(answer.body()).isEqualTo(bad.status());
        JsonNode error = answer.json();
        assertThat(error.get("error").asText()).isEqualTo(codeOf(bad.status()));
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(answer.headers().get("content-type")).anySatisfy(type -> assertThat(type).startsWith("application/json"));
        assertThat(events.endOffsets()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void shouldHaveAppendedNothingForAnyBadWriteWhileAValidOneIsAppended() {
        assertThat(events.records()).isEqualTo(recordsAtStart);
        Http.Answer valid = http.put("/v1/1/likes", LIKE);
        assertThat(valid.status()).isEqualTo(200);
        assertThat(events.records()).isEqualTo(recordsAtStart + 1);
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> throw new IllegalArgumentException("no code for " + status);
        };
    }

    private static Bad put(String description, String path, String body, int status) {
        return new Bad(description, "PUT", path, JSON, Map.of(), BodyPublishers.ofString(body), status);
    }

    private static Bad bytes(String description, String path, byte[] body, int status) {
        return new Bad(description, "PUT", path, JSON, Map.of(), BodyPublishers.ofByteArray(body), status);
    }

    private static Bad chunked(String description, String path, String body, int status) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Bad(description, "PUT", path, JSON, Map.of(),
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), status);
    }

    private static Bad typed(String description, String contentType, String body, int status) {
        return new Bad("content type: " + description, "PUT", "/v1/1/views", contentType, Map.of(),
                BodyPublishers.ofString(body), status);
    }

    private static Bad method(String method, int status) {
        return new Bad("method " + method, method, "/v1/1/views", JSON, Map.of(), BodyPublishers.ofString(INCREMENT), status);
    }

    private static Bad keyed(String description, String key, int status) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Idempotency-Key", key);
        return new Bad(description, "PUT", "/v1/1/views", JSON, headers, BodyPublishers.ofString(INCREMENT), status);
    }
}
