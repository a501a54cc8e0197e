package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.schemas.CountResponse;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP hop to the owning instance, against a real server on a free port. */
class RemoteCountsTest {

    private final Counter sent = new SimpleMeterRegistry().counter("forwarded");
    private Javalin owner;
    private HostInfo host;
    private final RemoteCounts remote = new RemoteCounts(Duration.ofSeconds(2), sent);

    @BeforeEach
    void startOwner() {
        owner = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/v1/{post_id}/{counter}", ctx -> {
                Hop hop = Hop.ofHeader(ctx.header(RemoteCounts.FORWARDED_HEADER));
                if (hop == Hop.CLIENT) {
                    ctx.status(400).result("not marked as forwarded");
                    return;
                }
                // The standby copy answers 11 here, the owner 12: which one the hop reached.
                ctx.contentType("application/json").result("{\"post_id\":" + ctx.pathParam("post_id")
                        + ",\"counter\":\"" + ctx.pathParam("counter") + "\",\"count\":" + (hop == Hop.TO_STANDBY ? 11 : 12)
                        + ",\"updated_at\":null}");
            });
            config.routes.get("/v1/busy", ctx -> ctx.status(503).result("{}"));
        }).start("127.0.0.1", 0);
        host = new HostInfo("127.0.0.1", owner.port());
    }

    @AfterEach
    void stopOwner() {
        owner.stop();
    }

    @Test
    void shouldSendAForwardedReadAndParseTheAnswer() {
        CountResponse answer = remote.<CountResponse>get(host, "/v1/3/views", Json.mapper().constructType(CountResponse.class), Hop.TO_OWNER).join();
        CountResponse standby = remote.<CountResponse>get(host, "/v1/3/views", Json.mapper().constructType(CountResponse.class), Hop.TO_STANDBY).join();

        assertThat(answer).isEqualTo(new CountResponse(3, "views", 12, null, null));
        assertThat(standby.count()).as("marked for the standby copy").isEqualTo(11);
        assertThat(sent.count()).isEqualTo(2);
        assertThatThrownBy(() -> remote.get(host, "/v1/3/views", Json.mapper().constructType(CountResponse.class), Hop.CLIENT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTurnAnOwnerThatIsNotAnsweringOrRefusingIntoA503() {
        assertThatThrownBy(() -> remote.get(host, "/v1/busy", Json.mapper().constructType(CountResponse.class), Hop.TO_OWNER).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(ApiException.class).hasMessageContaining("503");
        owner.stop();
        assertThatThrownBy(() -> remote.get(host, "/v1/3/views", Json.mapper().constructType(CountResponse.class), Hop.TO_OWNER).join())
                .isInstanceOf(CompletionException.class);
    }
}
