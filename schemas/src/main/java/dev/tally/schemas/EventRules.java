package dev.tally.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The rules every counter event obeys, wherever it was written. Ingest checks each write against them before it
 * appends; the processor checks every record of the event topic against them again before it counts, because any
 * producer with access to the topic can write there and the topic is the source of truth. One class, so that the
 * two can never disagree. Every check throws a {@link RuleViolation} whose message ingest answers with.
 */
public final class EventRules {

    /**
     * The most writes one event may stand for. Ingest folds the anonymous writes one counter receives within its
     * fold window (5 ms by default) into one event and seals a fold when it reaches this many, so a million is
     * never reached by a real window (200 million views a second on one instance) while keeping every count
     * thirteen orders of magnitude away from overflow.
     */
    public static final long MAX_AMOUNT = 1_000_000;

    /**
     * The largest serialized event. The largest event ingest writes (64-bit ids, a 32-character counter, a
     * 128-character Idempotency-Key, a nanosecond timestamp) is under 450 bytes; anything bigger is not an event
     * and is refused before it is parsed.
     */
    public static final int MAX_EVENT_BYTES = 1024;

    private static final String IDS = "an integer from 1 to 9223372036854775807";

    /**
     * Stricter than {@link Json#mapper()}: an event with a field tally does not know could mean something this
     * version would count wrongly, so it is refused rather than half understood (deploy processors before the
     * ingest that writes a new field). Numbers must be numbers: "5" and 5.0 are not post ids; times must be ISO-8601
     * strings.
     */
    private static final ObjectReader STRICT = strictMapper().readerFor(CounterEvent.class)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private EventRules() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = Json.configure(new ObjectMapper())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        // A timestamp is an ISO-8601 string, as the schema says: not epoch seconds, which Jackson would also read.
        mapper.registerModule(new SimpleModule("iso-instants-only").addDeserializer(Instant.class, new IsoInstant()));
        return mapper;
    }

    /** An instant from an ISO-8601 string only. */
    private static final class IsoInstant extends StdDeserializer<Instant> {
        IsoInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /**
     * Reads one record of the event topic and checks it against every rule: its key, its size, its shape, and the
     * rules of its counter. Time is not judged here: how far an event's timestamp may be from the record's is the
     * processor's setting.
     */
    public static CounterEvent check(byte[] recordKey, byte[] value, CounterCatalog counters) {
        CounterEvent event = read(value);
        checkPostId(event.postId());
        CounterKind kind = counterKind(counters, event.counter());
        checkAction(event.counter(), kind, event.action());
        if (event.action() == Action.RESET) {
            checkReset(event);
        } else {
            checkUser(event.counter(), kind, event.userId());
        }
        if (event.idempotencyKey() != null) {
            checkIdempotencyKey("idempotency_key", event.idempotencyKey());
        }
        checkAmount(event.amount());
        checkRecordKey(recordKey, event.postId());
        return event;
    }

    /**
     * Parses a serialized event strictly: bounded size, one JSON object, only the fields of the schema. The usual
     * shape is read by {@link StreamingEventReader}; the strict mapper decides everything else.
     */
    public static CounterEvent read(byte[] value) {
        if (value == null) {
            throw new RuleViolation("the record has no value (a tombstone); an event is never deleted");
        }
        if (value.length > MAX_EVENT_BYTES) {
            throw new RuleViolation("event is " + value.length + " bytes; at most " + MAX_EVENT_BYTES + " are allowed");
        }
        CounterEvent event = StreamingEventReader.read(value);
        return event != null ? event : readStrictly(value);
    }

    /** The object mapper's verdict on any value, which the streaming reader's agrees with where it has one. */
    static CounterEvent readStrictly(byte[] value) {
        CounterEvent event;
        try {
            event = STRICT.readValue(value);
        } catch (IOException e) {
            throw new RuleViolation("not a counter event: " + describe(e));
        }
        if (event == null) {
            throw new RuleViolation("not a counter event: the value is JSON null");
        }
        return event;
    }

    public static void checkPostId(long postId) {
        if (postId <= 0) {
            throw new RuleViolation("post_id must be " + IDS);
        }
    }

    public static CounterKind counterKind(CounterCatalog counters, String counter) {
        return counters.kindOf(counter).orElseThrow(() -> new RuleViolation(
                "unknown counter " + quote(counter) + "; counters are " + String.join(", ", counters.names())));
    }

    public static void checkAction(String counter, CounterKind kind, Action action) {
        if (!kind.allows(action)) {
            throw new RuleViolation(counter + " only counts up; " + action.wireName() + " is not allowed");
        }
    }

    public static void checkUser(String counter, CounterKind kind, Long userId) {
        if (kind.requiresUser() && userId == null) {
            throw new RuleViolation(counter + " counts each user once; user_id is required");
        }
    }

    /** A reset acts on the whole counter: it names no user and stands for no more than itself. */
    public static void checkReset(CounterEvent event) {
        if (event.userId() != null) {
            throw new RuleViolation("a reset takes no user_id; it resets " + event.counter() + " for everyone");
        }
        if (event.amount() != null) {
            throw new RuleViolation("a reset takes no amount");
        }
    }

    /** {@code field} is how the caller knows the key: the Idempotency-Key header, or an event's field. */
    public static void checkIdempotencyKey(String field, String key) {
        if (key == null || !IdempotencyKey.FORMAT.matcher(key).matches()) {
            throw new RuleViolation(field + " must be 1 to 128 visible ASCII characters");
        }
    }

    public static void checkAmount(Long amount) {
        if (amount != null && (amount < 1 || amount > MAX_AMOUNT)) {
            throw new RuleViolation("amount must be from 1 to " + MAX_AMOUNT + "; got " + amount);
        }
    }

    /**
     * The key decides the partition, and the partition decides which store counts the event; a key other than the
     * post id would count it where no read looks.
     */
    public static void checkRecordKey(byte[] recordKey, long postId) {
        byte[] expected = PostKeys.key(postId).getBytes(StandardCharsets.UTF_8);
        if (recordKey == null) {
            throw new RuleViolation("the record has no key; it must be the post id " + postId);
        }
        if (!Arrays.equals(recordKey, expected)) {
            throw new RuleViolation("record key " + quote(new String(recordKey, StandardCharsets.UTF_8))
                    + " is not the post id " + postId);
        }
    }

    /** A value shown in a message: at most 40 characters of it, on one line. */
    public static String quote(String text) {
        if (text == null) {
            return "nothing";
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return "\"" + oneLine(shown) + "\"";
    }

    private static String describe(IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field " + quote(unknown.getPropertyName());
        }
        // The record's constructor refused a value: its own message names the field.
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            return oneLine(cause.getMessage());
        }
        if (cause instanceof NullPointerException) {
            return cause.getMessage() + " is required";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "field " + field + ": " + oneLine(mapping.getOriginalMessage());
        }
        String message = e instanceof JsonProcessingException json
                ? json.getOriginalMessage() : e.getMessage();
        return oneLine(message);
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
