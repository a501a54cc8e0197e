package dev.tally.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A body that is not JSON is a 400 whose message says what is wrong in JSON's terms, never in Jackson's. */
class JsonBodyTest {

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("nested 2000 deep", "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "JSON nested too deeply"),
                Arguments.of("NaN", "{\"a\":NaN}", "not a valid JSON number"),
                Arguments.of("Infinity", "{\"a\":-Infinity}", "not a valid JSON number"),
                Arguments.of("a number of 2000 digits", "{\"a\":" + "7".repeat(2000) + "}", "a JSON number is too long"),
                Arguments.of("a comment", "{/* hi */\"a\":1}", "JSON does not allow comments"),
                Arguments.of("two objects", "{\"a\":1}{\"a\":2}", "more than one JSON value"),
                Arguments.of("a duplicate field", "{\"a\":1,\"a\":2}", "Duplicate field 'a'"),
                Arguments.of("a truncated object", "{\"a\":", "Unexpected end-of-input"),
                Arguments.of("single quotes", "{'a':1}", "was expecting double-quote to start field name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void shouldSayWhatIsWrongWithAnInvalidBodyWithoutNamingTheParser(String description, String body, String expected) {
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> JsonBody.object(body.getBytes(StandardCharsets.UTF_8), List.of("a"), "{\"a\":1}"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage())
                .startsWith("body is not valid JSON: ")
                .contains(expected)
                .doesNotContain("`", "Feature", "Constraints", "jackson");
    }
}
