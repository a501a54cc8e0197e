package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The event JSON Schema and {@link EventRules} give the same verdict on the same bytes: a producer that checks its
 * events against the published schema writes nothing the processor dead-letters for its shape, and the schema
 * refuses nothing the processor counts. The rules that depend on configuration (which counters exist, which need a
 * user) and on the record (its key) are the processor's alone, so the code side here runs with a catalog in which
 * every counter of the samples is generic and with the record key the event's post id.
 */
class EventSchemaAgreementTest {

    private static final CounterCatalog EVERY_COUNTER_GENERIC = CounterCatalog.parse("likes,views");
    private static final Schema SCHEMA = load();
    /** JSON with one value per name: a duplicate name has no agreed meaning (RFC 8259), so it is not a valid event. */
    private static final ObjectReader STRICT_JSON = Json.mapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final String ID = "\"event_id\":\"8aa41bcc-fcfa-4819-b5d8-d90805d432b2\"";
    private static final String TIME = "\"timestamp\":\"2026-11-28T01:15:30.254Z\"";

    private static Schema load() {
        try (InputStream in = CounterEvent.class.getResourceAsStream("counter-event.schema.json")) {
            JsonNode schema = Json.mapper().readTree(in);
            // Formats are only annotations in draft 2020-12 unless asserted: tally asserts them (uuid, date-time).
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, registry -> registry
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                    .getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event of post 5 with these fields after event_id, post_id and timestamp. */
    private static String event(String fields) {
        return "{" + ID + ",\"post_id\":5," + TIME + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    static Stream<Arguments> events() {
        return Stream.of(
                // accepted by both
                Arguments.of("a like", event("\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":7")),
                Arguments.of("a folded view", event("\"counter\":\"views\",\"action\":\"increment\",\"amount\":40")),
                Arguments.of("a keyed unlike", event("\"counter\":\"likes\",\"action\":\"decrement\",\"user_id\":9223372036854775807,"
                        + "\"idempotency_key\":\"~!retry-1\"")),
                Arguments.of("the largest amount", event("\"counter\":\"views\",\"action\":\"increment\",\"amount\":1000000")),
                Arguments.of("a 128-character key", event("\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":\""
                        + "k".repeat(128) + "\"")),
                // refused by both
                Arguments.of("post_id 0", "{" + ID + ",\"post_id\":0," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("a negative post_id", "{" + ID + ",\"post_id\":-5," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("post_id as a string", "{" + ID + ",\"post_id\":\"5\"," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("post_id as a fraction", "{" + ID + ",\"post_id\":5.5," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("post_id beyond 64 bits", "{" + ID + ",\"post_id\":9223372036854775808," + TIME
                        + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("no post_id", "{" + ID + "," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("no event_id", "{\"post_id\":5," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("an event_id that is no UUID", "{\"event_id\":\"not-a-uuid\",\"post_id\":5," + TIME
                        + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("no timestamp", "{" + ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("a timestamp that is no time", "{" + ID + ",\"post_id\":5,\"timestamp\":\"yesterday\","
                        + "\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("no counter", event("\"action\":\"increment\"")),
                Arguments.of("a counter name no counter can have", event("\"counter\":\"Likes!\",\"action\":\"increment\"")),
                Arguments.of("no action", event("\"counter\":\"views\"")),
                Arguments.of("an unknown action", event("\"counter\":\"views\",\"action\":\"double\"")),
                Arguments.of("a live-viewer action", event("\"counter\":\"views\",\"action\":\"join\"")),
                Arguments.of("user_id 0", event("\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":0")),
                Arguments.of("user_id as a string", event("\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":\"7\"")),
                Arguments.of("amount 0", event("\"counter\":\"views\",\"action\":\"increment\",\"amount\":0")),
                Arguments.of("amount over a million", event("\"counter\":\"views\",\"action\":\"increment\",\"amount\":1000001")),
                Arguments.of("a fractional amount", event("\"counter\":\"views\",\"action\":\"increment\",\"amount\":1.5")),
                Arguments.of("an empty idempotency_key", event("\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":\"\"")),
                Arguments.of("a key with a space", event("\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":\"a b\"")),
                Arguments.of("a 129-character key", event("\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":\""
                        + "k".repeat(129) + "\"")),
                Arguments.of("an unknown field", event("\"counter\":\"views\",\"action\":\"increment\",\"weight\":2")),
                Arguments.of("a field twice", event("\"counter\":\"views\",\"action\":\"increment\",\"action\":\"decrement\"")),
                Arguments.of("an array", "[" + event("\"counter\":\"views\",\"action\":\"increment\"") + "]"),
                Arguments.of("JSON null", "null"),
                Arguments.of("not JSON", "{\"post_id\":"),
                Arguments.of("an upper-case event_id", "{\"event_id\":\"8AA41BCC-FCFA-4819-B5D8-D90805D432B2\",\"post_id\":5," + TIME
                        + ",\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("a timestamp in epoch seconds", "{" + ID + ",\"post_id\":5,\"timestamp\":1764292530,"
                        + "\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("a timestamp with an offset", "{" + ID + ",\"post_id\":5,\"timestamp\":\"2026-11-28T03:15:30+02:00\","
                        + "\"counter\":\"views\",\"action\":\"increment\"}"),
                Arguments.of("user_id null", event("\"counter\":\"views\",\"action\":\"increment\",\"user_id\":null")),
                Arguments.of("idempotency_key null", event("\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":null")),
                Arguments.of("amount null", event("\"counter\":\"views\",\"action\":\"increment\",\"amount\":null")),
                Arguments.of("counter null", event("\"counter\":null,\"action\":\"increment\"")),
                Arguments.of("an action in capitals", event("\"counter\":\"views\",\"action\":\"INCREMENT\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void shouldGiveTheSameVerdictAsTheRulesTheProcessorApplies(String name, String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        boolean rules = rulesAccept(value);
        assertThat(schemaAccepts(value)).as("the schema's verdict on %s (the rules %s it): %s", name,
                rules ? "accept" : "refuse", json).isEqualTo(rules);
    }

    /** Both sides really judge: some samples are accepted and some refused. */
    @Test
    void shouldHaveSamplesBothAcceptAndBothRefuse() {
        List<Boolean> verdicts = events().map(arguments -> rulesAccept(((String) arguments.get()[1]).getBytes(StandardCharsets.UTF_8)))
                .toList();
        assertThat(verdicts).contains(true, false);
    }

    /**
     * Two rules are about the bytes, which JSON Schema does not see: the size (whitespace is the one way to grow a
     * valid event past it, as every string is bounded) and the notation of numbers (5.0 is the integer 5 to JSON
     * Schema). The schema states them in words; the rules enforce them.
     */
    @Test
    void shouldStateTheRulesOfTheBytesThatTheSchemaCannotExpress() throws IOException {
        String padded = event("\"counter\":\"views\",\"action\":\"increment\"").replace(",", ",   ".repeat(60));
        assertThat(padded.length()).isGreaterThan(EventRules.MAX_EVENT_BYTES);
        assertThat(rulesAccept(padded.getBytes(StandardCharsets.UTF_8))).isFalse();
        String fractionNotation = "{" + ID + ",\"post_id\":5.0," + TIME + ",\"counter\":\"views\",\"action\":\"increment\"}";
        assertThat(rulesAccept(fractionNotation.getBytes(StandardCharsets.UTF_8))).isFalse();
        try (InputStream in = CounterEvent.class.getResourceAsStream("counter-event.schema.json")) {
            assertThat(Json.mapper().readTree(in).get("description").asText())
                    .contains("At most " + EventRules.MAX_EVENT_BYTES + " bytes").contains("not 5.0");
        }
    }

    private static boolean rulesAccept(byte[] value) {
        try {
            CounterEvent event = EventRules.read(value);
            EventRules.check(PostKeys.key(event.postId()).getBytes(StandardCharsets.UTF_8), value, EVERY_COUNTER_GENERIC);
            return true;
        } catch (RuleViolation e) {
            return false;
        }
    }

    private static boolean schemaAccepts(byte[] value) {
        JsonNode node;
        try {
            node = STRICT_JSON.readTree(value);
        } catch (IOException e) {
            return false;
        }
        return node != null && SCHEMA.validate(node).isEmpty();
    }
}
