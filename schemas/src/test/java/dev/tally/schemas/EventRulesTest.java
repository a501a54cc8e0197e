package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one set of rules ingest and the processor both apply to an event. */
class EventRulesTest {

    private static final CounterCatalog COUNTERS = CounterCatalog.parse("likes:per-user,views:monotonic,shares:generic");
    private static final String EVENT_ID = "\"event_id\":\"6f1c8a47-7a64-4f0c-9d59-3f4b0b1b2c3d\"";
    private static final String STAMP = "\"timestamp\":\"2026-11-27T10:00:00Z\"";

    @Test
    void shouldAcceptTheLargestEventIngestCanWrite() throws Exception {
        CounterEvent largest = new CounterEvent(UUID.randomUUID(), Long.MAX_VALUE, "a".repeat(32), Action.DECREMENT,
                Long.MAX_VALUE, "~".repeat(128), Instant.parse("2026-11-27T10:00:00.123456789Z"));
        byte[] bytes = Json.mapper().writeValueAsBytes(largest);
        assertThat(bytes.length).isLessThan(450);
        CounterCatalog generic = CounterCatalog.parse("a".repeat(32) + ":per-user");
        assertThat(EventRules.check(PostKeys.key(largest.postId()).getBytes(StandardCharsets.UTF_8), bytes, generic)).isEqualTo(largest);

        CounterEvent folded = new CounterEvent(UUID.randomUUID(), 9, "views", Action.INCREMENT, null, null, Instant.now())
                .withAmount(EventRules.MAX_AMOUNT);
        assertThat(EventRules.check(key(9), Json.mapper().writeValueAsBytes(folded), COUNTERS)).isEqualTo(folded);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "negative post     | 5  | {" + EVENT_ID + ",\"post_id\":-5,\"counter\":\"views\",\"action\":\"increment\"," + STAMP + "} | post_id must be positive",
            "post id as text   | 5  | {" + EVENT_ID + ",\"post_id\":\"5\",\"counter\":\"views\",\"action\":\"increment\"," + STAMP + "} | field post_id",
            "fractional post   | 5  | {" + EVENT_ID + ",\"post_id\":5.5,\"counter\":\"views\",\"action\":\"increment\"," + STAMP + "} | field post_id",
            "unknown counter   | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"comments\",\"action\":\"increment\"," + STAMP + "} | unknown counter \"comments\"; counters are likes, views, shares",
            "unknown action    | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"double\"," + STAMP + "} | action must be one of increment, decrement, reset; got double",
            "view decrement    | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"decrement\"," + STAMP + "} | views only counts up; decrement is not allowed",
            "like without user | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"likes\",\"action\":\"increment\"," + STAMP + "} | likes counts each user once; user_id is required",
            "huge amount       | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\",\"amount\":9223372036854775807," + STAMP + "} | amount must be from 1 to 1000000; got 9223372036854775807",
            "bad key format    | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":\"a b\"," + STAMP + "} | idempotency_key must be 1 to 128 visible ASCII characters",
            "unknown field     | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\",\"weight\":2," + STAMP + "} | unknown field \"weight\"",
            "duplicate field   | 5  | {" + EVENT_ID + ",\"post_id\":5,\"post_id\":6,\"counter\":\"views\",\"action\":\"increment\"," + STAMP + "} | Duplicate field 'post_id'",
            "missing timestamp | 5  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\"} | timestamp is required",
            "key of other post | 6  | {" + EVENT_ID + ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\"," + STAMP + "} | record key \"6\" is not the post id 5",
            "malformed json    | 5  | {not json | not a counter event",
            "json array        | 5  | [] | not a counter event",
            "json null         | 5  | null | the value is JSON null"})
    void shouldRefuseAnEventThatBreaksARuleAndSayWhichInOneLine(String what, String key, String json, String reason) {
        assertThatThrownBy(() -> EventRules.check(key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), COUNTERS))
                .as(what)
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldRefuseATombstoneAKeylessRecordAndAnOversizedValueBeforeReadingIt() throws Exception {
        assertThatThrownBy(() -> EventRules.check(key(5), null, COUNTERS)).hasMessageContaining("tombstone");
        byte[] view = Json.mapper().writeValueAsBytes(
                new CounterEvent(UUID.randomUUID(), 5, "views", Action.INCREMENT, null, null, Instant.now()));
        assertThatThrownBy(() -> EventRules.check(null, view, COUNTERS)).hasMessageContaining("the record has no key");
        byte[] huge = ("{\"idempotency_key\":\"" + "k".repeat(500_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EventRules.check(key(5), huge, COUNTERS))
                .hasMessage("event is 500022 bytes; at most 1024 are allowed");
    }

    @Test
    void shouldShowAtMostFortyCharactersOfAValueInAMessage() {
        assertThat(EventRules.quote("x".repeat(500))).hasSize(43);
        assertThat(EventRules.quote(null)).isEqualTo("nothing");
    }

    @Test
    void shouldRefuseACountThatWouldOverflowInsteadOfWrappingAround() {
        CounterState almostFull = new CounterState(Long.MAX_VALUE - 1, 0);
        assertThat(almostFull.plus(1, 5).count()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> almostFull.plus(2, 5)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new CounterState(Long.MIN_VALUE, 0).plus(-1, 5)).isInstanceOf(ArithmeticException.class);
    }

    private static byte[] key(long postId) {
        return Long.toString(postId).getBytes(StandardCharsets.UTF_8);
    }
}
