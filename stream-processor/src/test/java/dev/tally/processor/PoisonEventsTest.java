package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.DeadLetterHeaders;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records any producer could write to the event topic that are not events tally may count: each changes no count,
 * leaves deduplication working, and lands in the dead-letter topic as it was written, with its reason and origin.
 */
class PoisonEventsTest {

    private static final Duration WINDOW = Duration.ofHours(1);
    private static final String EVENT_ID = "\"event_id\":\"6f1c8a47-7a64-4f0c-9d59-3f4b0b1b2c3d\"";

    private TopologyHarness tally;
    private CounterUpdate acknowledged;

    /** A poison record: what its key and value are, given the harness's clock, and the reason it must be refused. */
    private record Poison(String key, Function<Instant, String> value, Duration recordTimeFromNow, String reason) {
        @Override
        public String toString() {
            return reason;
        }
    }

    @BeforeEach
    void start() {
        tally = new TopologyHarness(WINDOW);
        acknowledged = tally.send(tally.event(5, "likes", Action.INCREMENT, 1L, "acked-before"));
        tally.view(5);
        tally.send(tally.event(6, "shares", Action.INCREMENT, null, null).withAmount(3));
        tally.advance(Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    static Stream<Arguments> poisons() {
        return Stream.of(
                poison("5", now -> "{not json", "not a counter event"),
                poison("5", now -> "[1,2,3]", "not a counter event"),
                poison("5", now -> "{\"post_id\":5}", "not a counter event"),
                poison("5", now -> null, "the record has no value (a tombstone)"),
                poison("5", now -> event(5, "views", "\"action\":\"double\"", now), "action must be one of increment, decrement, reset; got double"),
                poison("5", now -> event(-5, "views", "\"action\":\"increment\"", now), "post_id must be positive"),
                poison("5", now -> event(5, "comments", "\"action\":\"increment\"", now), "unknown counter \"comments\""),
                poison("5", now -> event(5, "likes", "\"action\":\"increment\"", now), "likes counts each user once; user_id is required"),
                poison("5", now -> event(5, "views", "\"action\":\"decrement\"", now), "views only counts up"),
                poison("5", now -> event(5, "views", "\"action\":\"increment\",\"amount\":9223372036854775807", now),
                        "amount must be from 1 to 1000000; got 9223372036854775807"),
                poison("5", now -> event(5, "views", "\"action\":\"increment\",\"idempotency_key\":\"" + "k".repeat(500_000) + "\"", now),
                        "event is 500"),
                poison("5", now -> event(5, "views", "\"action\":\"increment\",\"padding\":\"" + "x".repeat(500_000) + "\"", now),
                        "event is 500"),
                poison("5", now -> event(5, "views", "\"action\":\"increment\",\"weight\":2", now), "unknown field \"weight\""),
                poison("5", now -> event(5, "views", "\"action\":\"increment\",\"idempotency_key\":\"a b\"", now),
                        "idempotency_key must be 1 to 128 visible ASCII characters"),
                poison("6", now -> event(5, "views", "\"action\":\"increment\"", now), "record key \"6\" is not the post id 5"),
                poison(null, now -> event(5, "views", "\"action\":\"increment\"", now), "the record has no key"),
                poison("5", now -> event(5, "views", "\"action\":\"increment\",\"idempotency_key\":\"from-2099\"",
                        Instant.parse("2099-01-01T00:00:00Z")), "timestamp 2099-01-01T00:00:00Z is more than 300000 ms ahead"),
                poison("5", now -> event(5, "views", "\"action\":\"increment\"", Instant.EPOCH), "before the record's timestamp"),
                // A producer that forges the record's CreateTime along with the event's: the processor's clock decides.
                Arguments.of(new Poison("5", now -> event(5, "views", "\"action\":\"increment\"", Instant.parse("2099-01-01T00:00:00Z")),
                        Duration.between(Instant.parse("2026-11-27T00:00:01Z"), Instant.parse("2099-01-01T00:00:00Z")),
                        "or the processor's clock")));
    }

    private static Arguments poison(String key, Function<Instant, String> value, String reason) {
        return Arguments.of(new Poison(key, value, Duration.ZERO, reason));
    }

    private static String event(long postId, String counter, String fields, Instant at) {
        return "{" + EVENT_ID + ",\"post_id\":" + postId + ",\"counter\":\"" + counter + "\"," + fields
                + ",\"timestamp\":\"" + at + "\"}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisons")
    void shouldSendAPoisonRecordToTheDeadLetterTopicAndCountNothing(Poison poison) {
        Map<CounterKey, Long> before = tally.allCounts();
        byte[] key = poison.key() == null ? null : poison.key().getBytes(StandardCharsets.UTF_8);
        String text = poison.value().apply(tally.now());
        byte[] value = text == null ? null : text.getBytes(StandardCharsets.UTF_8);

        assertThat(tally.sendRaw(key, value, tally.now().plus(poison.recordTimeFromNow()))).as("updates").isEmpty();

        assertThat(tally.allCounts()).isEqualTo(before);
        TestRecord<byte[], byte[]> letter = single(tally.deadLetters());
        assertThat(letter.key()).isEqualTo(key);
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter.headers(), DeadLetterHeaders.REASON)).contains(poison.reason()).doesNotContain("\n");
        assertThat(header(letter.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(TopologyHarness.TOPICS.events());
        assertThat(header(letter.headers(), DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(letter.headers(), DeadLetterHeaders.OFFSET)).isEqualTo(Long.toString(tally.lastOffset()));
        assertThat(tally.refusedEvents()).isEqualTo(1);

        assertThatDeduplicationStillWorks();
    }

    @Test
    void shouldRefuseAnEventThatWouldOverflowACountAndChangeNothing() {
        tally.seedCount(9, "views", Long.MAX_VALUE - 2);
        tally.send(tally.event(9, "views", Action.INCREMENT, null, null).withAmount(2));
        Map<CounterKey, Long> before = tally.allCounts();

        CounterEvent overflowing = tally.event(9, "views", Action.INCREMENT, null, "one-too-many");
        assertThat(tally.sendAll(List.of(overflowing))).isEmpty();

        assertThat(tally.allCounts()).isEqualTo(before);
        assertThat(tally.count(9, "views")).isEqualTo(Long.MAX_VALUE);
        assertThat(tally.remembered(new IdempotencyKey(9, "views", "one-too-many"))).as("not remembered as applied").isEmpty();
        TestRecord<byte[], byte[]> letter = single(tally.deadLetters());
        assertThat(letter.value()).isEqualTo(Json.mapper().valueToTree(overflowing).toString().getBytes(StandardCharsets.UTF_8));
        assertThat(header(letter.headers(), DeadLetterHeaders.REASON))
                .isEqualTo("views of post 9 is 9223372036854775807; adding 1 would overflow");
        assertThat(tally.refusedEvents()).isEqualTo(1);
        assertThatDeduplicationStillWorks();
    }

    @Test
    void shouldKeepTheRecordsOwnHeadersAndTimestampOnItsDeadLetter() {
        Headers headers = new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        tally.sendRaw(new TestRecord<>("5".getBytes(StandardCharsets.UTF_8), "{".getBytes(StandardCharsets.UTF_8),
                headers, tally.now()));
        TestRecord<byte[], byte[]> letter = single(tally.deadLetters());
        assertThat(letter.timestamp()).isEqualTo(tally.now().toEpochMilli());
        assertThat(header(letter.headers(), "trace-id")).isEqualTo("abc");
        assertThat(header(letter.headers(), DeadLetterHeaders.REASON)).startsWith("not a counter event: ");
    }

    /** A key acknowledged before the poison answers as before; a new key is still counted once. */
    private void assertThatDeduplicationStillWorks() {
        tally.advance(Duration.ofMinutes(1));
        assertThat(tally.send(tally.event(5, "likes", Action.INCREMENT, 1L, "acked-before"))).isEqualTo(acknowledged);
        long views = tally.count(5, "views");
        CounterUpdate first = tally.send(tally.event(5, "views", Action.INCREMENT, null, "after-poison"));
        tally.advance(Duration.ofMinutes(1));
        assertThat(tally.send(tally.event(5, "views", Action.INCREMENT, null, "after-poison"))).isEqualTo(first);
        assertThat(tally.count(5, "views")).isEqualTo(views + 1);
        assertThat(tally.count(5, "likes")).isEqualTo(1);
        assertThat(tally.remembered(new IdempotencyKey(5, "likes", "acked-before"))).hasSize(1);
    }

    private static TestRecord<byte[], byte[]> single(List<TestRecord<byte[], byte[]>> letters) {
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
