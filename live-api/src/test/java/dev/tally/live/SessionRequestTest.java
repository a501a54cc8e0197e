package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.http.security.Caller;
import dev.tally.http.security.SecuritySettings;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionRequestTest {

    private static SessionRequest parse(String json) {
        return SessionRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final Caller DEVELOPMENT = new Caller("127.0.0.1", null, false, SecuritySettings.AuthMode.NONE, Set.of());
    private static final Caller SIGNED_IN_AS_7 = new Caller("127.0.0.1", 7L, false, SecuritySettings.AuthMode.JWT, Set.of());
    private static final Caller ANONYMOUS = new Caller("127.0.0.1", null, false, SecuritySettings.AuthMode.JWT, Set.of());

    @Test
    void shouldReadAJoinOfASignedInViewerAndALeaveOfAnAnonymousOne() {
        assertThat(parse("{\"action\":\"join\",\"user_id\":5}")).isEqualTo(new SessionRequest(true, 5L, null));
        assertThat(parse("{\"action\":\"join\",\"user_id\":5}").sessionKey(DEVELOPMENT)).isEqualTo("user:5");
        assertThat(parse("{\"action\":\"leave\",\"session_id\":\"tab-1\"}")).isEqualTo(new SessionRequest(false, null, "tab-1"));
        assertThat(parse("{\"action\":\"leave\",\"session_id\":\"tab-1\"}").sessionKey(ANONYMOUS)).isEqualTo("session:tab-1");
    }

    @Test
    void shouldTakeTheViewerFromTheTokenAndRefuseAnyoneElse() {
        assertThat(parse("{\"action\":\"join\"}").sessionKey(SIGNED_IN_AS_7)).isEqualTo("user:7");
        assertThat(parse("{\"action\":\"join\",\"user_id\":7}").sessionKey(SIGNED_IN_AS_7)).isEqualTo("user:7");
        assertThatThrownBy(() -> parse("{\"action\":\"join\",\"user_id\":8}").sessionKey(SIGNED_IN_AS_7))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> parse("{\"action\":\"join\",\"user_id\":7}").sessionKey(ANONYMOUS))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> parse("{\"action\":\"join\"}").sessionKey(DEVELOPMENT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "[]", "{\"action\":\"wave\",\"user_id\":5}",
            "{\"action\":\"join\",\"user_id\":5,\"session_id\":\"x\"}", "{\"action\":\"join\",\"user_id\":0}",
            "{\"action\":\"join\",\"user_id\":\"5\"}", "{\"action\":\"join\",\"session_id\":\"\"}",
            "{\"action\":\"join\",\"session_id\":\"has space\"}", "{\"action\":\"join\",\"user_id\":5,\"extra\":1}"})
    void shouldRefuseABodyThatIsNotExactlyOneJoinOrLeave(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }
}
