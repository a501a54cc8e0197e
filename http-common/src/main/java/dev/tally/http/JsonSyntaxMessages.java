package dev.tally.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Says what is wrong with a body that is not valid JSON in the client's terms. Jackson's own messages are mostly
 * plain ("Duplicate field 'action'", "Unexpected end-of-input"), and tally keeps those, but some name Jackson's
 * internals: {@code StreamReadConstraints.getMaxNestingDepth()}, {@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS},
 * {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}. Jackson marks those names with backticks or calls them a
 * "Feature", so any message that still has one after the known cases is replaced by a generic one.
 */
final class JsonSyntaxMessages {

    private JsonSyntaxMessages() {
    }

    static String of(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            if (original.contains("nesting depth")) {
                return "JSON nested too deeply";
            }
            if (original.contains("Number value length")) {
                return "a JSON number is too long";
            }
            return "a JSON string or field name is too long";
        }
        if (original.contains("ALLOW_NON_NUMERIC_NUMBERS")) {
            return "not a valid JSON number: NaN and Infinity are not JSON";
        }
        if (original.contains("ALLOW_COMMENTS")) {
            return "JSON does not allow comments";
        }
        if (original.contains("FAIL_ON_TRAILING_TOKENS")) {
            return "more than one JSON value: the body must be one object";
        }
        if (original.contains("`") || original.contains("Feature")) {
            return "not valid JSON";
        }
        return original;
    }
}
