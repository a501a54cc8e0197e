package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
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
        assertThat(JsonBody.isJson("application/json")).isTrue();
        assertThat(JsonBody.isJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(JsonBody.isJson("application/jsonp")).isFalse();
        assertThat(JsonBody.isJson("application/json-patch+json")).isFalse();
        assertThat(JsonBody.isJson("text/json")).isFalse();
        assertThat(JsonBody.isJson(null)).isFalse();
    }

    private static WriteRequest parse(String body) {
        return WriteRequest.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerAsyncOnlyWhenTheClientPrefersIt() {
        assertThat(IngestRoutes.prefersAsync("respond-async")).isTrue();
        assertThat(IngestRoutes.prefersAsync("return=minimal, Respond-Async; wait=0")).isTrue();
        assertThat(IngestRoutes.prefersAsync("return=representation")).isFalse();
        assertThat(IngestRoutes.prefersAsync(null)).isFalse();
    }
}
