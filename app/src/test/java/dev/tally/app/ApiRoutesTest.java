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
    void shouldAnswerThePageStreamBeforeAPostCalledStream() {
        ApiRoutes routes = new ApiRoutes()
                .anyCounter(config -> config.routes.get("/v1/{post_id}", ctx -> ctx.result("post " + ctx.pathParam("post_id"))))
                .fixedWords(config -> config.routes.get("/v1/stream", ctx -> ctx.result("page stream")), "stream")
                .operational(config -> config.routes.get("/openapi.yaml", ctx -> ctx.result("document")));

        JavalinTest.test(TallyHttp.create(routes.inOrder(), TallyHttp.MIN_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE), (server, client) -> {
            assertThat(client.get("/v1/stream?post_ids=1,2").body().string()).isEqualTo("page stream");
            assertThat(client.get("/v1/7").body().string()).isEqualTo("post 7");
            assertThat(client.get("/openapi.yaml").body().string()).isEqualTo("document");
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
