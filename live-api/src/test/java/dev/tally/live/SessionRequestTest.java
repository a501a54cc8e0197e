package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionRequestTest {

    private static SessionRequest parse(String json) {
        return SessionRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadAJoinOfASignedInViewerAndALeaveOfAnAnonymousOne() {
        assertThat(parse("{\"action\":\"join\",\"user_id\":5}")).isEqualTo(new SessionRequest(true, "user:5"));
        assertThat(parse("{\"action\":\"leave\",\"session_id\":\"tab-1\"}")).isEqualTo(new SessionRequest(false, "session:tab-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "[]", "{\"action\":\"join\"}", "{\"action\":\"wave\",\"user_id\":5}",
            "{\"action\":\"join\",\"user_id\":5,\"session_id\":\"x\"}", "{\"action\":\"join\",\"user_id\":0}",
            "{\"action\":\"join\",\"user_id\":\"5\"}", "{\"action\":\"join\",\"session_id\":\"\"}",
            "{\"action\":\"join\",\"session_id\":\"has space\"}", "{\"action\":\"join\",\"user_id\":5,\"extra\":1}"})
    void shouldRefuseABodyThatIsNotExactlyOneJoinOrLeave(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }
}
