package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.http.security.Caller;
import dev.tally.http.security.SecuritySettings;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteParserTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final Caller DEVELOPMENT = new Caller("127.0.0.1", null, false, SecuritySettings.AuthMode.NONE, Set.of());
    private static final Caller USER_7 = new Caller("127.0.0.1", 7L, false, SecuritySettings.AuthMode.JWT, Set.of(CounterKind.MONOTONIC));
    private static final Caller ANONYMOUS = new Caller("127.0.0.1", null, false, SecuritySettings.AuthMode.JWT, Set.of(CounterKind.MONOTONIC));
    private static final Caller ADMIN = new Caller("127.0.0.1", 1L, true, SecuritySettings.AuthMode.JWT, Set.of(CounterKind.MONOTONIC));
    private final WriteParser parser = new WriteParser(CounterCatalog.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldTurnAPutIntoAnEventStampedNow() {
        CounterEvent like = parser.put("42", "likes", null, bytes("{\"action\":\"increment\",\"user_id\":7}"), DEVELOPMENT);

        assertThat(like.postId()).isEqualTo(42);
        assertThat(like.counter()).isEqualTo("likes");
        assertThat(like.action()).isEqualTo(Action.INCREMENT);
        assertThat(like.userId()).isEqualTo(7);
        assertThat(like.timestamp()).isEqualTo(NOW);
        assertThat(parser.put("1", "views", null, bytes(" {\"user_id\":9223372036854775807, \"action\":\"increment\"}\n"), DEVELOPMENT)
                .userId()).as("a user on an anonymous counter is not kept").isNull();
    }

    @Test
    void shouldGiveEveryCopyOfAKeyedWriteTheSameEventId() {
        CounterEvent first = parser.put("5", "views", "retry-1", bytes("{\"action\":\"increment\"}"), DEVELOPMENT);
        CounterEvent again = parser.batch(bytes("{\"events\":[{\"post_id\":5,\"counter\":\"views\",\"action\":\"increment\","
                + "\"idempotency_key\":\"retry-1\"}]}"), 10, DEVELOPMENT).get(0);

        assertThat(first.eventId()).isEqualTo(again.eventId()).isEqualTo(new IdempotencyKey(5, "views", "retry-1").eventId());
        assertThat(parser.put("5", "views", null, bytes("{\"action\":\"increment\"}"), DEVELOPMENT).eventId()).isNotEqualTo(first.eventId());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "{", "[]", "null", "{}", "{\"action\":\"increment\"} x", "{\"action\":\"increment\"}{}",
            "{\"action\":\"increment\",\"action\":\"increment\"}", "{\"action\":\"increment\",\"x\":1}",
            "{\"action\":\"increment\",\"user_id\":0}", "{\"action\":\"increment\",\"user_id\":1e3}",
            "{\"action\":\"increment\",\"user_id\":\"7\"}", "{\"action\":1}", "{\"action\":\"twice\"}"})
    void shouldRefuseAPutBodyThatIsNotExactlyOneWrite(String body) {
        assertThatThrownBy(() -> parser.put("1", "views", null, bytes(body), DEVELOPMENT))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void shouldHoldAPutAndABatchEventToTheSameRulesWithTheSameWords() {
        String put = refusal(() -> parser.put("1", "likes", null, bytes("{\"action\":\"increment\"}"), DEVELOPMENT));
        String batch = refusal(() -> parser.batch(bytes("{\"events\":[{\"post_id\":1,\"counter\":\"likes\",\"action\":\"increment\"}]}"), 10, DEVELOPMENT));
        assertThat(put).isEqualTo("likes counts each user once; user_id is required");
        assertThat(batch).isEqualTo("events[0]: " + put);

        assertThat(refusal(() -> parser.put("1", "views", null, bytes("{\"action\":\"decrement\"}"), DEVELOPMENT)))
                .isEqualTo("views only counts up; decrement is not allowed");
        assertThat(refusal(() -> parser.put("1", "shares", null, bytes("{\"action\":\"increment\"}"), DEVELOPMENT))).contains("unknown counter");
        assertThat(refusal(() -> parser.put("0", "views", null, bytes("{\"action\":\"increment\"}"), DEVELOPMENT))).contains("post_id");
        assertThat(refusal(() -> parser.put("1", "views", "bad key", bytes("{\"action\":\"increment\"}"), DEVELOPMENT))).contains("Idempotency-Key");
    }

    @Test
    void shouldRefuseAWholeBatchForOneBadEventNamingItsIndex() {
        String body = "{\"events\":[{\"post_id\":1,\"counter\":\"views\",\"action\":\"increment\"},"
                + "{\"post_id\":2,\"counter\":\"views\",\"action\":\"increment\",\"idempotency_key\":5}]}";

        assertThat(refusal(() -> parser.batch(bytes(body), 10, DEVELOPMENT))).startsWith("events[1]: idempotency_key");
        assertThatThrownBy(() -> parser.batch(bytes("{\"events\":[]}"), 10, DEVELOPMENT)).hasMessageContaining("1 to 10 events");
        String eleven = "{\"events\":[" + String.join(",", java.util.Collections.nCopies(11,
                "{\"post_id\":1,\"counter\":\"views\",\"action\":\"increment\"}")) + "]}";
        assertThatThrownBy(() -> parser.batch(bytes(eleven), 10, DEVELOPMENT)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void shouldReadABatchInRequestOrder() {
        List<CounterEvent> events = parser.batch(bytes("{\"events\":[{\"post_id\":3,\"counter\":\"views\",\"action\":\"increment\"},"
                + "{\"post_id\":1,\"counter\":\"likes\",\"action\":\"decrement\",\"user_id\":4}]}"), 10, DEVELOPMENT);

        assertThat(events).extracting(CounterEvent::postId).containsExactly(3L, 1L);
        assertThat(events.get(1).action()).isEqualTo(Action.DECREMENT);
    }

    @Test
    void shouldTakeTheUserFromTheTokenAndRefuseAnyOtherBeforeAnythingIsAppended() {
        assertThat(parser.put("1", "likes", null, bytes("{\"action\":\"increment\"}"), USER_7).userId()).isEqualTo(7);
        assertThat(parser.put("1", "likes", null, bytes("{\"action\":\"increment\",\"user_id\":7}"), USER_7).userId()).isEqualTo(7);
        assertThat(parser.put("1", "views", null, bytes("{\"action\":\"increment\"}"), ANONYMOUS).userId()).isNull();
        assertThat(status(() -> parser.put("1", "likes", null, bytes("{\"action\":\"increment\",\"user_id\":8}"), USER_7))).isEqualTo(403);
        assertThat(status(() -> parser.put("1", "likes", null, bytes("{\"action\":\"increment\",\"user_id\":7}"), ANONYMOUS))).isEqualTo(401);
        assertThat(status(() -> parser.put("1", "views", null, bytes("{\"action\":\"increment\",\"user_id\":7}"), ANONYMOUS))).isEqualTo(401);
        ApiException inBatch = (ApiException) org.assertj.core.api.Assertions.catchThrowable(() -> parser.batch(bytes(
                "{\"events\":[{\"post_id\":1,\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":7}]}"), 10, ANONYMOUS));
        assertThat(inBatch.status()).isEqualTo(401);
        assertThat(inBatch.getMessage()).startsWith("events[0]: ");
        assertThat(inBatch.bearerChallenge()).startsWith("Bearer");
    }

    @Test
    void shouldMakeAResetOnlyForAnAdminAndNeverFromABody() {
        CounterEvent reset = parser.reset("3", "likes", "reset-3", ADMIN);
        assertThat(reset.action()).isEqualTo(Action.RESET);
        assertThat(reset.userId()).isNull();
        assertThat(reset.eventId()).isEqualTo(new IdempotencyKey(3, "likes", "reset-3").eventId());
        assertThat(status(() -> parser.reset("3", "likes", null, USER_7))).isEqualTo(403);
        assertThat(status(() -> parser.reset("3", "likes", null, ANONYMOUS))).isEqualTo(401);
        assertThat(status(() -> parser.reset("3", "likes", null, DEVELOPMENT))).isEqualTo(403);
        assertThat(status(() -> parser.reset("0", "likes", null, ADMIN))).isEqualTo(400);
        assertThat(refusal(() -> parser.put("3", "views", null, bytes("{\"action\":\"reset\"}"), ADMIN)))
                .isEqualTo("action must be one of increment, decrement; got reset");
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

    private static String refusal(Runnable parse) {
        try {
            parse.run();
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError("expected a 400");
    }

    private static int status(Runnable parse) {
        try {
            parse.run();
        } catch (ApiException e) {
            return e.status();
        }
        throw new AssertionError("expected a refusal");
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
