package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.TallyHttp;
import io.javalin.testtools.JavalinTest;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {

    @Test
    void shouldAnswerAFixedWordRouteEvenWhenTheCounterRouteWasAddedFirst() {
        ApiRoutes routes = new ApiRoutes()
                .anyCounter(config -> config.routes.get("/v1/{post_id}/{counter}", ctx -> ctx.result("counter " + ctx.pathParam("counter"))))
                .fixedWords(config -> config.routes.get("/v1/{post_id}/stream", ctx -> ctx.result("stream")), "stream");

        JavalinTest.test(TallyHttp.create(routes.inOrder(), TallyHttp.MIN_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE), (server, client) -> {
            assertThat(client.get("/v1/7/stream").body().string()).isEqualTo("stream");
            assertThat(client.get("/v1/7/likes").body().string()).isEqualTo("counter likes");
        });
    }

    @Test
    void shouldRefuseARouteWordThatCouldBeACounterName() {
        assertThatThrownBy(() -> new ApiRoutes().fixedWords(config -> { }, "shares"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shares");
        assertThat(new ApiRoutes().fixedWords(config -> { }, "live_users").anyCounter(config -> { }, "counters")
                .reservedWords()).containsExactly("live_users", "counters");
    }
}
