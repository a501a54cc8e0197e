package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.schemas.Action;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteRequestTest {

    @Test
    void shouldReadAnIncrementWithAndWithoutAUser() {
        assertThat(parse("{\"action\":\"increment\"}")).isEqualTo(new WriteRequest(Action.INCREMENT, null));
        assertThat(parse(" {\"user_id\":9223372036854775807, \"action\":\"decrement\"}\n"))
                .isEqualTo(new WriteRequest(Action.DECREMENT, Long.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "{", "[]", "null", "{}", "{\"action\":\"increment\"} x", "{\"action\":\"increment\"}{}",
            "{\"action\":\"increment\",\"action\":\"increment\"}", "{\"action\":\"increment\",\"x\":1}",
            "{\"action\":\"increment\",\"user_id\":0}", "{\"action\":\"increment\",\"user_id\":1e3}"})
    void shouldRefuseABodyThatIsNotExactlyOneWriteRequest(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void shouldAcceptJsonWithParametersButNoLookAlikeType() {
        assertThat(IngestRoutes.isJson("application/json")).isTrue();
        assertThat(IngestRoutes.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(IngestRoutes.isJson("application/jsonp")).isFalse();
        assertThat(IngestRoutes.isJson("application/json-patch+json")).isFalse();
        assertThat(IngestRoutes.isJson("text/json")).isFalse();
        assertThat(IngestRoutes.isJson(null)).isFalse();
    }

    private static WriteRequest parse(String body) {
        return WriteRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
