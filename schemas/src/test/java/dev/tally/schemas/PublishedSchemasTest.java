package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The documents we publish describe what the code really writes. */
class PublishedSchemasTest {

    private static final Schema EVENT_SCHEMA = load();

    private static Schema load() {
        try (InputStream in = CounterEvent.class.getResourceAsStream("counter-event.schema.json")) {
            JsonNode schema = Json.mapper().readTree(in);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldAcceptEveryEventTheSerdeWrites() {
        CounterEvent like = new CounterEvent(UUID.randomUUID(), Long.MAX_VALUE, "likes", Action.INCREMENT, 7L, "retry-1",
                Instant.parse("2030-10-10T12:11:42Z"));
        CounterEvent view = new CounterEvent(UUID.randomUUID(), 1, "views", Action.INCREMENT, null, null, Instant.now());
        CounterEvent folded = view.withAmount(40);
        for (CounterEvent event : new CounterEvent[] {like, view, folded}) {
            JsonNode written = Json.mapper().valueToTree(event);
            assertThat(EVENT_SCHEMA.validate(written)).as(written.toString()).isEmpty();
        }
    }

    @Test
    void shouldRejectEventsTheCodeWouldNotWrite() {
        ObjectNode valid = Json.mapper().valueToTree(new CounterEvent(UUID.randomUUID(), 5, "likes", Action.DECREMENT, 3L,
                null, Instant.now()));
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("post_id", 0))).isNotEmpty();
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("action", "double"))).isNotEmpty();
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("counter", "Likes!"))).isNotEmpty();
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("event_id", "not-a-uuid"))).isNotEmpty();
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("amount", 0))).isNotEmpty();
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("amount", EventRules.MAX_AMOUNT + 1))).isNotEmpty();
        assertThat(EVENT_SCHEMA.validate(valid.deepCopy().put("weight", 2))).as("no unknown fields").isNotEmpty();
        ObjectNode missing = valid.deepCopy();
        missing.remove("timestamp");
        assertThat(EVENT_SCHEMA.validate(missing)).isNotEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDocumentEveryRouteOfTheHttpApi() throws IOException {
        try (InputStream in = CounterEvent.class.getResourceAsStream("openapi.yaml")) {
            Map<String, Object> openapi = new Yaml().load(in);
            assertThat((String) openapi.get("openapi")).startsWith("3.");
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) openapi.get("paths");
            assertThat(paths.keySet()).contains("/v1/{post_id}/{counter}", "/v1/{post_id}", "/v1/counters",
                    "/v1/{post_id}/stream", "/v1/stream", "/v1/{post_id}/live_users", "/v1/events", "/health/live",
                    "/health/ready", "/metrics", "/openapi.yaml");
            assertThat(paths.get("/v1/{post_id}/{counter}")).containsKeys("put", "get", "delete");
        }
    }
}
