package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a counter event does to its counter. */
public enum Action {
    INCREMENT,
    DECREMENT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; throws {@link IllegalArgumentException} naming the allowed values. */
    @JsonCreator
    public static Action fromWire(String value) {
        for (Action action : values()) {
            if (action.wireName().equals(value)) {
                return action;
            }
        }
        throw new IllegalArgumentException("action must be one of increment, decrement; got " + value);
    }
}
