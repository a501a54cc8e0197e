package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a counter event does to its counter. {@code RESET} sets it to zero (for a per-user counter, forgetting who
 * had counted); ingest writes it only for an admin's {@code DELETE /v1/{post_id}/{counter}}, never for a client's
 * write body ({@link #isClientWrite}).
 */
public enum Action {
    INCREMENT,
    DECREMENT,
    RESET;

    /** What a client may ask for in a write body: increment or decrement, never reset. */
    public boolean isClientWrite() {
        return this != RESET;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an action of a client's write body: increment or decrement. Throws {@link IllegalArgumentException}
     * naming the allowed values; a reset is never a body's to ask for.
     */
    public static Action fromWire(String value) {
        Action action = fromEvent(value);
        if (!action.isClientWrite()) {
            throw new IllegalArgumentException("action must be one of increment, decrement; got " + value);
        }
        return action;
    }

    /** Parses the wire name in an event of the topic, where all three occur. */
    @JsonCreator
    public static Action fromEvent(String value) {
        for (Action action : values()) {
            if (action.wireName().equals(value)) {
                return action;
            }
        }
        throw new IllegalArgumentException("action must be one of increment, decrement, reset; got " + value);
    }
}
