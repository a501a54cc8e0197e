package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader is only a shortcut: wherever it reads an event, the strict object mapper reads the same one,
 * and it leaves every other value to the mapper.
 */
class StreamingEventReaderTest {

    private static final String ID = "\"event_id\":\"6f1c8a47-7a64-4f0c-9d59-3f4b0b1b2c3d\"";

    @Test
    void shouldReadEveryEventIngestWritesWithoutTheMapper() throws Exception {
        List<CounterEvent> written = List.of(
                new CounterEvent(UUID.randomUUID(), 1, "views", Action.INCREMENT, null, null, Instant.now()),
                new CounterEvent(UUID.randomUUID(), Long.MAX_VALUE, "likes", Action.DECREMENT, Long.MAX_VALUE,
                        "~".repeat(128), Instant.parse("2026-11-27T10:00:00.123456789Z")),
                new CounterEvent(UUID.randomUUID(), 7, "likes", Action.RESET, null, "admin-1",
                        Instant.parse("2026-11-27T10:00:00Z")),
                new CounterEvent(UUID.randomUUID(), 9, "views", Action.INCREMENT, null, null,
                        Instant.parse("1970-01-01T00:00:00.100Z")).withAmount(EventRules.MAX_AMOUNT));
        for (CounterEvent event : written) {
            byte[] bytes = Json.mapper().writeValueAsBytes(event);
            assertThat(StreamingEventReader.read(bytes)).isEqualTo(event).isEqualTo(EventRules.readStrictly(bytes));
        }
    }

    @Test
    void shouldLeaveEveryOtherShapeToTheMapperAndAgreeWhereItReads() {
        List<String> values = new ArrayList<>();
        String body = ",\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\",\"timestamp\":\"2026-11-27T10:00:00Z\"";
        values.add("{" + ID + body + "}");
        values.add("{" + ID + body + "} ");
        values.add("{" + ID + body + "} {}");
        values.add("{" + ID + body + ",\"weight\":2}");
        values.add("{" + ID + body + ",\"post_id\":6}");
        values.add("{" + ID + body + ",\"user_id\":null}");
        values.add("{" + ID + body + ",\"user_id\":\"3\"}");
        values.add("{" + ID + body + ",\"user_id\":3.0}");
        values.add("{" + ID + body + ",\"user_id\":0}");
        values.add("{" + ID + body + ",\"amount\":3,\"user_id\":4}");
        values.add("{" + ID + body + ",\"amount\":92233720368547758070}");
        values.add("{" + ID + body + ",\"idempotency_key\":5}");
        values.add("{" + ID + body.replace("5,", "-5,") + "}");
        values.add("{" + ID + body.replace("5,", "0,") + "}");
        values.add("{" + ID + body.replace("increment", "INCREMENT") + "}");
        values.add("{" + ID + body.replace("\"views\"", "7") + "}");
        values.add("{" + body.substring(1) + "}");
        values.add("{" + ID.replace("6f1c", "6F1C") + body + "}");
        values.add("{" + ID.replace("6f1c", "6g1c") + body + "}");
        values.add("{" + ID.replace("-7a64", "7-a64") + body + "}");
        values.add("{\"event_id\":\"b8Wm1Vxkzg0e5wxNDsMHgQ==\"" + body + "}");
        for (String time : List.of("2026-11-27T10:00:00.Z", "2026-11-27t10:00:00z", "2026-11-27T24:00:00Z",
                "2026-12-31T23:59:60Z", "2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-11-27T10:00:00+01:00",
                " 2026-11-27T10:00:00Z", "1764237600", "+12026-11-27T10:00:00Z", "0000-01-01T00:00:00Z",
                "2026-11-27T10:00:00.1234567890Z", "2026-11-27 10:00:00Z", "2026-13-01T00:00:00Z", "")) {
            values.add("{" + ID + body.replace("2026-11-27T10:00:00Z", time) + "}");
        }
        values.add("[]");
        values.add("null");
        values.add("{not json");
        for (String value : values) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            CounterEvent shortcut = StreamingEventReader.read(bytes);
            if (shortcut != null) {
                assertThat(EventRules.readStrictly(bytes)).as(value).isEqualTo(shortcut);
            }
            // Whatever the shortcut does, the verdict is the mapper's.
            Throwable strictFault = catchThrowable(() -> EventRules.readStrictly(bytes));
            Throwable fault = catchThrowable(() -> EventRules.read(bytes));
            assertThat(fault == null ? null : fault.getMessage()).as(value)
                    .isEqualTo(strictFault == null ? null : strictFault.getMessage());
        }
    }

    @Property
    void shouldReadEveryInstantAsTheIsoParserDoes(@ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long second,
                                                  @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
        String text = Instant.ofEpochSecond(second, nanos).toString();
        assertThat(StreamingEventReader.instant(text)).as(text).isEqualTo(Instant.parse(text));
    }

    @Property
    void shouldReadAnInstantOnlyWhereTheIsoParserReadsTheSame(@ForAll("timeLike") String text) {
        Instant shortcut = StreamingEventReader.instant(text);
        if (shortcut != null) {
            assertThat(shortcut).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Provide
    Arbitrary<String> timeLike() {
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', 'T', 'Z', '.', 'z', '+');
        Arbitrary<String> mutated = Arbitraries.strings().withChars('0', '1', '2', '3', '5', '9').ofLength(1)
                .map(digit -> "2024-02-29T23:59:59.5Z".replace("5", digit));
        return Arbitraries.oneOf(chars.list().ofMinSize(18).ofMaxSize(31)
                .map(list -> list.stream().map(String::valueOf).reduce("", String::concat)), mutated);
    }

    @Property
    void shouldReadEveryCanonicalUuidAsUuidDoes(@ForAll long high, @ForAll long low) {
        UUID id = new UUID(high, low);
        assertThat(StreamingEventReader.uuid(id.toString())).isEqualTo(id);
        assertThat(StreamingEventReader.uuid(id.toString().toUpperCase())).isEqualTo(id);
    }

    @Test
    void shouldRefuseWhatTheIsoParserRefuses() {
        for (String text : List.of("2026-02-30T00:00:00Z", "2026-11-27T10:60:00Z", "2026-00-27T10:00:00Z")) {
            assertThat(StreamingEventReader.instant(text)).as(text).isNull();
            assertThat(catchThrowable(() -> Instant.parse(text))).isInstanceOf(DateTimeParseException.class);
        }
    }
}
