package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import dev.tally.app.support.Http;
import dev.tally.app.support.NodeMeters;
import dev.tally.app.support.TallyFixture;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OpenAPI document says what a real tally answers. One all-in-one node on the shared broker; every route is
 * called into every status it can reach here, and each real answer (status, Content-Type, headers, body) is checked
 * against the document the node serves at {@code /openapi.yaml} with Atlassian's OpenAPI validator. Valid requests are
 * checked too, so the document also accepts what tally accepts. The last test compares the statuses reached with the
 * statuses documented: a status the document lists but no test reaches must be one of {@link #REACHED_ELSEWHERE}, and
 * a status tally answers but the document does not list fails the answer's own check.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIntegrationTest {

    /**
     * Statuses the document lists that need a broken Kafka, a rebalance, or TALLY_AUTH=jwt (this node runs without
     * authentication, where nobody may reset); the named tests reach them.
     */
    private static final Map<String, String> REACHED_ELSEWHERE = Map.ofEntries(
            Map.entry("PUT /v1/{post_id}/{counter} 503", "BrokerOutageIntegrationTest"),
            Map.entry("POST /v1/events 503", "BrokerOutageIntegrationTest"),
            Map.entry("GET /v1/{post_id}/{counter} 503", "StandbyFailoverIntegrationTest (no instance owns the post)"),
            Map.entry("GET /v1/{post_id}/{counter}/users/{user_id} 503", "CountServiceTest (no instance holds the user's like)"),
            Map.entry("GET /v1/{post_id} 503", "StandbyFailoverIntegrationTest"),
            Map.entry("GET /v1/counters 503", "StandbyFailoverIntegrationTest"),
            Map.entry("GET /health/ready 503", "ReadinessDuringRebalanceIntegrationTest"),
            Map.entry("PUT /v1/{post_id}/{counter} 401", "EdgeAttacksIntegrationTest (no token, bad tokens)"),
            Map.entry("PUT /v1/{post_id}/{counter} 403", "EdgeAttacksIntegrationTest (another user's id, a foreign origin)"),
            Map.entry("PUT /v1/{post_id}/{counter} 429", "EdgeAttacksIntegrationTest (flood past the write limit)"),
            Map.entry("DELETE /v1/{post_id}/{counter} 200", "EdgeAttacksIntegrationTest (an admin's reset)"),
            Map.entry("DELETE /v1/{post_id}/{counter} 401", "EdgeAttacksIntegrationTest (a reset without a token)"),
            Map.entry("DELETE /v1/{post_id}/{counter} 202", "IngestRoutesTest (the PUT's pipeline: count not confirmed in time)"),
            Map.entry("DELETE /v1/{post_id}/{counter} 400", "IngestRoutesTest (the PUT's pipeline: a refused request)"),
            Map.entry("DELETE /v1/{post_id}/{counter} 429", "EdgeGuardTest (every write is limited alike)"),
            Map.entry("DELETE /v1/{post_id}/{counter} 503", "BrokerOutageIntegrationTest (the PUT's pipeline)"));
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(500);

    private TallyFixture tally;
    private TallyNode node;
    private Http http;
    private OpenAPI api;
    private OpenApiInteractionValidator validator;
    private SchemaValidator schemas;
    private final Set<String> reached = new ConcurrentSkipListSet<>();

    @BeforeAll
    void startTallyAndReadItsDocument() throws IOException {
        tally = TallyFixture.create(Map.of(
                "TALLY_STREAM_MAX_PER_CLIENT", "1",
                "TALLY_STREAM_KEEPALIVE_MS", "300",
                "TALLY_HTTP_BODY_TIMEOUT_MS", Long.toString(BODY_TIMEOUT.toMillis())));
        node = tally.start("node");
        http = new Http(node.port());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);

        String served = http.get("/openapi.yaml").body();
        try (InputStream resource = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertThat(served).as("the served document is the one in schemas")
                    .isEqualTo(new String(resource.readAllBytes(), StandardCharsets.UTF_8));
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIV3Parser().readContents(served, null, options);
        assertThat(parsed.getMessages()).as("the document parses").isEmpty();
        api = parsed.getOpenAPI();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(served).build();
        schemas = new SchemaValidator(api, new MessageResolver());
    }

    @AfterAll
    void stop() {
        tally.close();
    }

    // ---- the exchange and its checks ----

    private record Call(String method, String template, String target, Map<String, String> headers, String body) {
        static Call of(String method, String template, String target) {
            return new Call(method, template, target, Map.of(), null);
        }

        static Call json(String method, String template, String target, String body) {
            return new Call(method, template, target, Map.of("Content-Type", "application/json"), body);
        }

        Call with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Call(method, template, target, more, body);
        }

        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        Map<String, String> query() {
            int query = target.indexOf('?');
            Map<String, String> params = new LinkedHashMap<>();
            if (query >= 0) {
                for (String pair : target.substring(query + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return params;
        }

        SimpleRequest toRequest() {
            SimpleRequest.Builder request = new SimpleRequest.Builder(method, path());
            query().forEach(request::withQueryParam);
            headers.forEach(request::withHeader);
            if (body != null) {
                request.withBody(body);
            }
            return request.build();
        }
    }

    private record Answer(int status, Map<String, List<String>> headers, String body) {
        String contentType() {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                    .flatMap(h -> h.getValue().stream()).findFirst().orElse(null);
        }

        SimpleResponse toResponse() {
            SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
            headers.forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    response.withHeader(name, values);
                }
            });
            if (body != null && !body.isEmpty()) {
                response.withBody(body);
            }
            return response.build();
        }
    }

    private Answer send(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + call.target()))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        call.headers().forEach(request::header);
        Http.Answer answer = http.send(request);
        return new Answer(answer.status(), answer.headers(), answer.body());
    }

    /** Sends a request the document allows and checks request and answer against it. */
    private Answer valid(Call call, int expectedStatus) {
        Answer answer = send(call);
        assertThat(answer.status()).as("%s %s: %s", call.method(), call.target(), answer.body()).isEqualTo(expectedStatus);
        assertValid(call, validator.validate(call.toRequest(), answer.toResponse()), answer);
        reached.add(call.method() + " " + call.template() + " " + answer.status());
        return answer;
    }

    /** Sends a request the document does not allow (tally refuses it) and checks the answer against the document. */
    private Answer refused(Call call, int expectedStatus) {
        Answer answer = send(call);
        return checkRefusal(call, answer, expectedStatus);
    }

    private Answer checkRefusal(Call call, Answer answer, int expectedStatus) {
        assertThat(answer.status()).as("%s %s: %s", call.method(), call.target(), answer.body()).isEqualTo(expectedStatus);
        assertThat(validator.validateRequest(call.toRequest()).hasErrors())
                .as("the document refuses %s %s too", call.method(), call.target()).isTrue();
        ValidationReport report = validator.validateResponse(call.path(), Request.Method.valueOf(call.method()),
                answer.toResponse());
        assertValid(call, report, answer);
        reached.add(call.method() + " " + call.template() + " " + answer.status());
        return answer;
    }

    private static void assertValid(Call call, ValidationReport report, Answer answer) {
        assertThat(report.hasErrors()).as("%s %s answered %d %s %s:%n%s", call.method(), call.target(), answer.status(),
                answer.contentType(), answer.body(), describe(report)).isFalse();
    }

    private static String describe(ValidationReport report) {
        return report.getMessages().stream().map(m -> m.getLevel() + " " + m.getKey() + ": " + m.getMessage())
                .collect(Collectors.joining("\n"));
    }

    /** A component schema of the document, checked against a JSON value with the validator's own schema check. */
    private void assertMatchesSchema(String json, String component) {
        Schema<?> schema = new Schema<>().$ref("#/components/schemas/" + component);
        ValidationReport report = schemas.validate(json, schema, "body");
        assertThat(report.hasErrors()).as("%s as %s:%n%s", json, component, describe(report)).isFalse();
    }

    // ---- writes ----

    @Test
    @Order(1)
    void shouldAnswerWritesAsDocumented() {
        String like = "{\"action\":\"increment\",\"user_id\":7}";
        Answer counted = valid(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/71/likes", like), 200);
        assertThat(counted.body()).contains("\"liked\":true");
        valid(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/71/views", "{\"action\":\"increment\"}")
                .with("Prefer", "respond-async").with("Idempotency-Key", "contract-1"), 202);
        valid(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/71/likes", "{\"action\":\"increment\"}"), 400);
        valid(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/71/views", "{\"action\":\"decrement\"}"), 400);
        refused(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/0/likes", like), 400);
        refused(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/71/likes", "{\"action\":\"increment\",\"user_id\":7,\"pad\":\""
                + "x".repeat(2000) + "\"}"), 413);
        refused(new Call("PUT", "/v1/{post_id}/{counter}", "/v1/71/likes", Map.of("Content-Type", "text/plain"), like), 415);
        slowBody(Call.json("PUT", "/v1/{post_id}/{counter}", "/v1/71/likes", like));
        // Without authentication nobody holds the admin role, so a reset is refused.
        refused(Call.of("DELETE", "/v1/{post_id}/{counter}", "/v1/71/likes"), 403);
    }

    @Test
    @Order(2)
    void shouldAnswerBatchesAsDocumented() {
        String events = "{\"events\":[{\"post_id\":72,\"counter\":\"views\",\"action\":\"increment\"},"
                + "{\"post_id\":73,\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":7,\"idempotency_key\":\"k-1\"}]}";
        Answer accepted = valid(Call.json("POST", "/v1/events", "/v1/events", events), 202);
        assertThat(accepted.body()).contains("\"accepted\":2");
        valid(Call.json("POST", "/v1/events", "/v1/events", "{\"events\":[{\"post_id\":72,\"counter\":\"nope\",\"action\":\"increment\"}]}"), 400);
        refused(Call.json("POST", "/v1/events", "/v1/events", "{\"events\":[]}"), 400);
        String tooMany = IntStream.range(0, 1001).mapToObj(i -> "{\"post_id\":72,\"counter\":\"views\",\"action\":\"increment\"}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        refused(Call.json("POST", "/v1/events", "/v1/events", tooMany), 413);
        refused(new Call("POST", "/v1/events", "/v1/events", Map.of("Content-Type", "application/x-www-form-urlencoded"), events), 415);
        slowBody(Call.json("POST", "/v1/events", "/v1/events", events));
    }

    @Test
    @Order(3)
    void shouldAnswerLiveViewerSessionsAsDocumented() {
        Answer joined = valid(Call.json("PUT", "/v1/{post_id}/live_users", "/v1/74/live_users", "{\"action\":\"join\",\"user_id\":7}"), 200);
        assertThat(joined.body()).contains("\"renew_within_ms\"");
        valid(Call.json("PUT", "/v1/{post_id}/live_users", "/v1/74/live_users", "{\"action\":\"leave\",\"session_id\":\"s-1\"}"), 200);
        refused(Call.json("PUT", "/v1/{post_id}/live_users", "/v1/74/live_users", "{\"action\":\"stay\",\"user_id\":7}"), 400);
        refused(Call.json("PUT", "/v1/{post_id}/live_users", "/v1/74/live_users", "{\"action\":\"join\",\"session_id\":\""
                + "s".repeat(2000) + "\"}"), 413);
        refused(new Call("PUT", "/v1/{post_id}/live_users", "/v1/74/live_users", Map.of("Content-Type", "text/plain"), "join"), 415);
        slowBody(Call.json("PUT", "/v1/{post_id}/live_users", "/v1/74/live_users", "{\"action\":\"join\",\"user_id\":7}"));
    }

    /**
     * Sends the headers and half of the body, then nothing: tally answers 408 after its body deadline. A raw socket,
     * since an HTTP client always sends the whole body.
     */
    private void slowBody(Call call) {
        byte[] body = call.body().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout((int) BODY_TIMEOUT.multipliedBy(20).toMillis());
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(call.method() + " " + call.target() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            call.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            checkRefusalOfIncompleteBody(call, readAnswer(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkRefusalOfIncompleteBody(Call call, Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(408);
        ValidationReport report = validator.validateResponse(call.path(), Request.Method.valueOf(call.method()),
                answer.toResponse());
        assertValid(call, report, answer);
        reached.add(call.method() + " " + call.template() + " " + answer.status());
    }

    /** One HTTP/1.1 answer read off a socket: status line, headers, and a body of Content-Length or chunks. */
    private static Answer readAnswer(InputStream in) throws IOException {
        String statusLine = line(in);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length").get(0))));
        }
        return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    // ---- reads ----

    @Test
    @Order(4)
    void shouldAnswerReadsAsDocumented() {
        valid(Call.of("GET", "/v1/{post_id}/{counter}", "/v1/71/likes?user_id=7"), 200);
        valid(Call.of("GET", "/v1/{post_id}/{counter}", "/v1/999999/views"), 200);
        valid(Call.of("GET", "/v1/{post_id}/{counter}", "/v1/71/nope"), 400);
        refused(Call.of("GET", "/v1/{post_id}/{counter}", "/v1/71/likes?user_id=-1"), 400);
        valid(Call.of("GET", "/v1/{post_id}/{counter}/users/{user_id}", "/v1/71/likes/users/7"), 200);
        valid(Call.of("GET", "/v1/{post_id}/{counter}/users/{user_id}", "/v1/71/views/users/7"), 400);
        valid(Call.of("GET", "/v1/{post_id}", "/v1/71"), 200);
        Answer byRegion = valid(Call.of("GET", "/v1/{post_id}", "/v1/71?regions=true"), 200);
        assertThat(byRegion.body()).contains("\"regions\":{\"local\":{");
        refused(Call.of("GET", "/v1/{post_id}", "/v1/71?regions=maybe"), 400);
        refused(Call.of("GET", "/v1/{post_id}", "/v1/0"), 400);
        Answer feed = valid(Call.of("GET", "/v1/counters", "/v1/counters?post_ids=71,72,999999"), 200);
        assertThat(feed.body()).contains("\"post_id\":999999");
        valid(Call.of("GET", "/v1/counters", "/v1/counters?post_ids=71,72,71"), 400);
        refused(Call.of("GET", "/v1/counters", "/v1/counters"), 400);
    }

    // ---- streams ----

    /** Opens a stream, checks its answer and first event against the document, and leaves it open. */
    private OpenStream stream(Call call) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + call.target()))
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        StringBuilder firstEvent = new StringBuilder();
        for (String line = lines.readLine(); line != null && !line.isEmpty(); line = lines.readLine()) {
            firstEvent.append(line).append('\n');
        }
        Answer answer = new Answer(response.statusCode(), response.headers().map(), firstEvent.toString());
        assertThat(answer.status()).isEqualTo(200);
        assertValid(call, validator.validate(call.toRequest(), answer.toResponse()), answer);
        assertThat(firstEvent.toString()).startsWith("event: counts\ndata: ");
        assertMatchesSchema(firstEvent.toString().split("\n")[1].substring("data: ".length()), "PostCounts");
        reached.add(call.method() + " " + call.template() + " 200");
        return new OpenStream(response.body());
    }

    private record OpenStream(InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    @Test
    @Order(5)
    void shouldAnswerStreamsAsDocumented() throws Exception {
        Call single = Call.of("GET", "/v1/{post_id}/stream", "/v1/71/stream");
        Call page = Call.of("GET", "/v1/stream", "/v1/stream?post_ids=71,72,73");
        try (OpenStream open = stream(single)) {
            valid(single, 429);
            valid(page, 429);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NodeMeters.openStreams(node) == 0);
        try (OpenStream open = stream(page)) {
            assertThat(NodeMeters.openStreams(node)).isEqualTo(1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> NodeMeters.openStreams(node) == 0);
        refused(Call.of("GET", "/v1/{post_id}/stream", "/v1/x/stream"), 400);
        refused(Call.of("GET", "/v1/stream", "/v1/stream?post_ids=1,x"), 400);
        refused(Call.of("GET", "/v1/stream", "/v1/stream"), 400);
    }

    // ---- operations ----

    @Test
    @Order(6)
    void shouldAnswerOperationalRoutesAsDocumented() {
        valid(Call.of("GET", "/health/live", "/health/live"), 200);
        valid(Call.of("GET", "/health/ready", "/health/ready"), 200);
        assertThat(valid(Call.of("GET", "/metrics", "/metrics"), 200).body()).contains("# TYPE ");
        assertThat(valid(Call.of("GET", "/openapi.yaml", "/openapi.yaml"), 200).body()).startsWith("openapi: 3.");
        assertThat(valid(Call.of("GET", "/", "/?posts=1,2"), 200).body()).contains("<html");
        valid(Call.of("GET", "/demo/demo.js", "/demo/demo.js"), 200);
        valid(Call.of("GET", "/demo/demo.css", "/demo/demo.css"), 200);
    }

    @Test
    @Order(7)
    void shouldAnswerUnknownPathsAndMethodsWithTheDocumentedErrorShape() {
        for (Call call : List.of(Call.of("GET", "(no path)", "/v1/71/likes/extra"), Call.of("GET", "(no path)", "/nope"),
                Call.of("PATCH", "(no method)", "/v1/71/likes"), Call.of("POST", "(no method)", "/v1/71"))) {
            Answer answer = send(call);
            assertThat(answer.status()).isEqualTo(call.template().equals("(no path)") ? 404 : 405);
            assertThat(answer.contentType()).startsWith("application/json");
            assertMatchesSchema(answer.body(), "Error");
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void shouldHaveReachedEveryStatusOfEveryOperationTheDocumentLists() {
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operation.getResponses().keySet().forEach(status -> documented.add(method + " " + path + " " + status))));
        assertThat(operationIds()).doesNotContainNull().doesNotHaveDuplicates();

        Set<String> unreached = new TreeSet<>(documented);
        unreached.removeAll(reached);
        assertThat(unreached).as("documented, not reached by this test").containsExactlyInAnyOrderElementsOf(REACHED_ELSEWHERE.keySet());
        assertThat(reached).as("reached, not documented").isSubsetOf(documented);
    }

    private List<String> operationIds() {
        return api.getPaths().values().stream().map(PathItem::readOperations).flatMap(List::stream)
                .map(Operation::getOperationId).toList();
    }
}
