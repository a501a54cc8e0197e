package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Every JSON record of tally survives its serde, and its wire shape is the documented snake_case one. */
class JsonRecordsTest {

    private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");
    private static final UUID EVENT = UUID.fromString("3f2c9a4e-8b1d-4c6f-9e2a-7d5b1c0e4f88");

    @Test
    void shouldRoundTripALikeEventWithEveryField() {
        assertRoundTrip(CounterEvent.class, new CounterEvent(EVENT, 42, "likes", Action.INCREMENT, 7L, "retry-1", AT));
    }

    @Test
    void shouldRoundTripAViewEventWithoutTheOptionalFields() {
        assertRoundTrip(CounterEvent.class, new CounterEvent(EVENT, Long.MAX_VALUE, "views", Action.INCREMENT, null, null, AT));
    }

    @Test
    void shouldWriteAnEventInTheDocumentedShapeAndLeaveOutAbsentFields() {
        JsonNode json = wire(new CounterEvent(EVENT, 42, "likes", Action.DECREMENT, 7L, null, AT));
        assertThat(json.get("event_id").asText()).isEqualTo(EVENT.toString());
        assertThat(json.get("post_id").asLong()).isEqualTo(42);
        assertThat(json.get("counter").asText()).isEqualTo("likes");
        assertThat(json.get("action").asText()).isEqualTo("decrement");
        assertThat(json.get("user_id").asLong()).isEqualTo(7);
        assertThat(json.get("timestamp").asText()).isEqualTo("2026-11-27T10:15:30.123Z");
        assertThat(json.has("idempotency_key")).isFalse();
    }

    @Test
    void shouldRoundTripACounterUpdateAndTurnItIntoTheHttpAnswer() {
        CounterUpdate update = new CounterUpdate(42, "likes", 3, AT, EVENT, true);
        assertRoundTrip(CounterUpdate.class, update);
        assertThat(update.toResponse()).isEqualTo(new CountResponse(42, "likes", 3, AT, true));
        assertRoundTrip(CounterUpdate.class, new CounterUpdate(42, "views", 0, null, EVENT, null));
    }

    @Test
    void shouldRoundTripACountResponseAndAlwaysWriteUpdatedAt() {
        assertRoundTrip(CountResponse.class, new CountResponse(1, "likes", 9, AT, false));
        CountResponse empty = CountResponse.empty(5, "views");
        assertRoundTrip(CountResponse.class, empty);
        JsonNode json = wire(empty);
        assertThat(json.has("updated_at")).isTrue();
        assertThat(json.get("updated_at").isNull()).isTrue();
        assertThat(json.has("liked")).as("liked only where a user was asked about").isFalse();
    }

    @Test
    void shouldRoundTripPostCountsInTheirFlatShape() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("likes", 3L);
        counts.put("views", 90L);
        PostCounts withLive = new PostCounts(8, counts, 2L, AT);
        assertRoundTrip(PostCounts.class, withLive);
        assertRoundTrip(PostCounts.class, new PostCounts(8, counts, null, null));

        JsonNode json = wire(withLive);
        assertThat(json.fieldNames().next()).isEqualTo("post_id");
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder("post_id", "likes", "views", "live_users", "updated_at");
        assertThat(json.get("views").asLong()).isEqualTo(90);
        assertThat(withLive.count("shares")).isZero();
    }

    @Test
    void shouldRoundTripTheErrorAndAcceptedAnswers() {
        assertRoundTrip(ErrorResponse.class, new ErrorResponse("bad_request", "post_id must be positive"));
        AcceptedResponse accepted = AcceptedResponse.of(EVENT);
        assertRoundTrip(AcceptedResponse.class, accepted);
        assertThat(wire(accepted).get("status").asText()).isEqualTo("accepted");
        assertThat(wire(accepted).get("event_id").asText()).isEqualTo(EVENT.toString());
    }

    @Test
    void shouldReadAnEventWrittenByANewerVersionWithFieldsItDoesNotKnow() {
        String newer = "{\"event_id\":\"" + EVENT + "\",\"post_id\":1,\"counter\":\"views\",\"action\":\"increment\","
                + "\"timestamp\":\"2026-11-27T10:15:30Z\",\"region\":\"eu\"}";
        CounterEvent event = new JsonSerde<>(CounterEvent.class).deserialize("t", newer.getBytes(StandardCharsets.UTF_8));
        assertThat(event.postId()).isEqualTo(1);
        assertThat(event.action()).isEqualTo(Action.INCREMENT);
    }

    @Test
    void shouldNameTheOffendingFieldWhenAnEventCannotBeRead() {
        JsonSerde<CounterEvent> serde = new JsonSerde<>(CounterEvent.class);
        String badAction = "{\"event_id\":\"" + EVENT + "\",\"post_id\":1,\"counter\":\"views\",\"action\":\"add\","
                + "\"timestamp\":\"2026-11-27T10:15:30Z\"}";
        assertThatThrownBy(() -> serde.deserialize("events", badAction.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("action");
        String badId = "{\"event_id\":\"not-a-uuid\",\"post_id\":1,\"counter\":\"views\",\"action\":\"increment\","
                + "\"timestamp\":\"2026-11-27T10:15:30Z\"}";
        assertThatThrownBy(() -> serde.deserialize("events", badId.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("event_id");
        assertThatThrownBy(() -> serde.deserialize("events", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("events");
    }

    @Test
    void shouldRefuseAnEventThatBreaksItsInvariants() {
        JsonSerde<CounterEvent> serde = new JsonSerde<>(CounterEvent.class);
        String zeroPost = "{\"event_id\":\"" + EVENT + "\",\"post_id\":0,\"counter\":\"views\",\"action\":\"increment\","
                + "\"timestamp\":\"2026-11-27T10:15:30Z\"}";
        assertThatThrownBy(() -> serde.deserialize("events", zeroPost.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("post_id");
        assertThatThrownBy(() -> new CounterEvent(EVENT, 1, "likes", Action.INCREMENT, -3L, null, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user_id");
    }

    @Test
    void shouldParseTheCounterCatalogAndRefuseBadNames() {
        CounterCatalog catalog = CounterCatalog.parse("likes:per-user, views:monotonic,shares");
        assertThat(catalog.names()).containsExactly("likes", "views", "shares");
        assertThat(catalog.kindOf("shares")).contains(CounterKind.GENERIC);
        assertThat(catalog.kindOf("comments")).isEmpty();
        assertThat(CounterCatalog.defaults().kindOf("likes")).contains(CounterKind.PER_USER);
        assertThatThrownBy(() -> CounterCatalog.parse("likes,likes")).hasMessageContaining("twice");
        assertThatThrownBy(() -> CounterCatalog.parse("Likes")).hasMessageContaining("must match");
        assertThatThrownBy(() -> CounterCatalog.parse("post_id")).hasMessageContaining("must match");
        assertThatThrownBy(() -> CounterCatalog.parse("likes:sometimes")).hasMessageContaining("per-user");
        assertThatThrownBy(() -> CounterCatalog.parse(" , ")).hasMessageContaining("at least one");
    }

    @Test
    void shouldAllowOnlyIncrementsOnAMonotonicCounterAndRequireAUserOnlyOnAPerUserOne() {
        assertThat(CounterKind.MONOTONIC.allows(Action.DECREMENT)).isFalse();
        assertThat(CounterKind.MONOTONIC.allows(Action.INCREMENT)).isTrue();
        assertThat(CounterKind.PER_USER.allows(Action.DECREMENT)).isTrue();
        assertThat(CounterKind.GENERIC.allows(Action.DECREMENT)).isTrue();
        assertThat(CounterKind.PER_USER.requiresUser()).isTrue();
        assertThat(CounterKind.GENERIC.requiresUser()).isFalse();
        assertThat(Action.fromWire("decrement")).isEqualTo(Action.DECREMENT);
        assertThatThrownBy(() -> Action.fromWire("INCREMENT")).hasMessageContaining("increment, decrement");
        // A client's body may never ask for a reset; the topic's events may carry one.
        assertThatThrownBy(() -> Action.fromWire("reset")).hasMessage("action must be one of increment, decrement; got reset");
        assertThat(Action.fromEvent("reset")).isEqualTo(Action.RESET);
    }

    private static <T> void assertRoundTrip(Class<T> type, T value) {
        JsonSerde<T> serde = new JsonSerde<>(type);
        assertThat(serde.deserialize("t", serde.serialize("t", value))).isEqualTo(value);
    }

    private static JsonNode wire(Object value) {
        return Json.mapper().valueToTree(value);
    }
}
