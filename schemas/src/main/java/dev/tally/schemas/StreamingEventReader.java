package dev.tally.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Reads an event of the usual shape, as ingest writes it, with Jackson's streaming parser: one JSON object of the
 * schema's fields, each once, numbers as integers, strings as strings, the timestamp as
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}. Anything else, and every event the record's constructor refuses, reads
 * as null, and {@link EventRules#read} then gives it to the strict object mapper, which decides and names the fault.
 * So this reader accepts a subset of what the mapper accepts, with the same result, and refuses nothing itself.
 *
 * <p>Why: the processor reads every record of the event topic, and the mapper's bean deserializer with Jackson's
 * {@code InstantDeserializer} (a {@code DateTimeFormatter} parse per event) took a fifth of the stream thread in the
 * replay benchmark.
 */
final class StreamingEventReader {

    private static final JsonFactory FACTORY = new JsonFactory();

    private static final int EVENT_ID = 1;
    private static final int POST_ID = 1 << 1;
    private static final int COUNTER = 1 << 2;
    private static final int ACTION = 1 << 3;
    private static final int USER_ID = 1 << 4;
    private static final int IDEMPOTENCY_KEY = 1 << 5;
    private static final int TIMESTAMP = 1 << 6;
    private static final int AMOUNT = 1 << 7;
    private static final int REQUIRED = EVENT_ID | POST_ID | COUNTER | ACTION | TIMESTAMP;

    private StreamingEventReader() {
    }

    /** The event, or null when the strict mapper must decide. */
    static CounterEvent read(byte[] value) {
        try (JsonParser parser = FACTORY.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int seen = 0;
            UUID eventId = null;
            long postId = 0;
            String counter = null;
            Action action = null;
            Long userId = null;
            String idempotencyKey = null;
            Instant timestamp = null;
            Long amount = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                int field = field(parser.currentName());
                if (field == 0 || (seen & field) != 0) {
                    return null;
                }
                seen |= field;
                token = parser.nextToken();
                switch (field) {
                    case EVENT_ID -> eventId = token == JsonToken.VALUE_STRING ? uuid(parser.getText()) : null;
                    case POST_ID -> postId = integer(parser, token) ? parser.getLongValue() : 0;
                    case COUNTER -> counter = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case ACTION -> action = token == JsonToken.VALUE_STRING ? action(parser.getText()) : null;
                    case USER_ID -> userId = integer(parser, token) ? parser.getLongValue() : null;
                    case IDEMPOTENCY_KEY -> idempotencyKey = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case TIMESTAMP -> timestamp = token == JsonToken.VALUE_STRING ? instant(parser.getText()) : null;
                    default -> amount = integer(parser, token) ? parser.getLongValue() : null;
                }
                // A value this reader does not take as it is (a null, a string for a number, a malformed time)
                // is the mapper's to judge.
                if (switch (field) {
                    case EVENT_ID -> eventId == null;
                    case POST_ID -> postId == 0;
                    case COUNTER -> counter == null;
                    case ACTION -> action == null;
                    case USER_ID -> userId == null;
                    case IDEMPOTENCY_KEY -> idempotencyKey == null;
                    case TIMESTAMP -> timestamp == null;
                    default -> amount == null;
                }) {
                    return null;
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null || (seen & REQUIRED) != REQUIRED) {
                return null;
            }
            return new CounterEvent(eventId, postId, counter, action, userId, idempotencyKey, timestamp, amount);
        } catch (IOException | RuntimeException notTheUsualShape) {
            return null;
        }
    }

    private static int field(String name) {
        return switch (name) {
            case "event_id" -> EVENT_ID;
            case "post_id" -> POST_ID;
            case "counter" -> COUNTER;
            case "action" -> ACTION;
            case "user_id" -> USER_ID;
            case "idempotency_key" -> IDEMPOTENCY_KEY;
            case "timestamp" -> TIMESTAMP;
            case "amount" -> AMOUNT;
            default -> 0;
        };
    }

    /** An integer that fits a long: what the mapper reads into a long without coercion. */
    private static boolean integer(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            return false;
        }
        JsonParser.NumberType type = parser.getNumberType();
        return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
    }

    private static Action action(String text) {
        return switch (text) {
            case "increment" -> Action.INCREMENT;
            case "decrement" -> Action.DECREMENT;
            case "reset" -> Action.RESET;
            default -> null;
        };
    }

    /** The canonical 36-character form only (hex digits, dashes at 8, 13, 18, 23). */
    static UUID uuid(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            return null;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            int nibble = Character.digit(text.charAt(i), 16);
            if (nibble < 0 || text.charAt(i) > 'f') {
                return null;
            }
            if (digits++ < 16) {
                high = (high << 4) | nibble;
            } else {
                low = (low << 4) | nibble;
            }
        }
        return new UUID(high, low);
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} in UTC with valid fields, else null: a subset of what
     * {@code DateTimeFormatter.ISO_INSTANT} parses (which also takes lower case, 24:00, leap seconds, offsets).
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || length == 21 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(length - 1) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int scale = length - 21; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 || hour > 23
                || minute > 59 || second > 59) {
            return null;
        }
        try {
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
            return Instant.ofEpochSecond(epochSecond, nanos);
        } catch (RuntimeException noSuchDay) {
            return null;
        }
    }

    /** The decimal number of ASCII digits {@code text[from, to)}, or -1 if any is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
