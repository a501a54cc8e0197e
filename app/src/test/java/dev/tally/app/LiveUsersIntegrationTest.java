package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.config.Env;
import dev.tally.live.LiveSettings;
import dev.tally.live.LocalSessions;
import dev.tally.live.PresenceReporter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The live viewer gauge on two real instances and a real broker, with short timeouts: sessions time out after
 * 2 s without a renewal, and an instance's reports after 3 s without a new one.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveUsersIntegrationTest {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration INSTANCE_EXPIRY = Duration.ofSeconds(3);
    private static final Duration REPORT_INTERVAL = Duration.ofMillis(300);

    private TallyFixture tally;
    private Http first;
    private Http second;
    private final ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(1);
    private final Map<String, Viewer> viewers = new ConcurrentHashMap<>();

    /** A well-behaved viewer: joins, then joins again every 500 ms until it leaves (never after). */
    private static final class Viewer {
        private final Http node;
        private final long post;
        private final String who;
        private ScheduledFuture<?> heartbeat;
        private boolean left;

        Viewer(Http node, long post, String who) {
            this.node = node;
            this.post = post;
            this.who = who;
        }

        synchronized void renew() {
            if (!left) {
                session(node, post, "join", who);
            }
        }

        synchronized void leave() {
            left = true;
            heartbeat.cancel(false);
            assertThat(session(node, post, "leave", who).status()).isEqualTo(200);
        }
    }

    private void join(Http node, long post, String who) {
        assertThat(session(node, post, "join", who).status()).isEqualTo(200);
        Viewer viewer = new Viewer(node, post, who);
        synchronized (viewer) {
            viewer.heartbeat = heartbeats.scheduleAtFixedRate(viewer::renew, 500, 500, TimeUnit.MILLISECONDS);
        }
        viewers.put(post + who, viewer);
    }

    private void leave(Http node, long post, String who) {
        viewers.remove(post + who).leave();
    }

    @BeforeAll
    void startTwoInstances() {
        tally = TallyFixture.create(Map.of(
                "TALLY_LIVE_SESSION_TIMEOUT_MS", Long.toString(SESSION_TIMEOUT.toMillis()),
                "TALLY_LIVE_INSTANCE_EXPIRY_MS", Long.toString(INSTANCE_EXPIRY.toMillis()),
                "TALLY_LIVE_REPORT_INTERVAL_MS", Long.toString(REPORT_INTERVAL.toMillis())));
        first = new Http(tally.start("first").port());
        second = new Http(tally.start("second").port());
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() ->
                first.get("/health/ready").status() == 200 && second.get("/health/ready").status() == 200
                        && first.get("/v1/counters?post_ids=1,2,3,4,5,6,7,8").status() == 200
                        && second.get("/v1/counters?post_ids=1,2,3,4,5,6,7,8").status() == 200);
    }

    @AfterAll
    void stop() {
        heartbeats.shutdownNow();
        tally.close();
    }

    private static Http.Answer session(Http node, long post, String action, String who) {
        return node.put("/v1/" + post + "/live_users", "{\"action\":\"" + action + "\"," + who + "}");
    }

    /** The gauge as a read answers it; a 503 while the instances rebalance fails the assertion, to be retried. */
    private static long liveUsers(Http node, long post) {
        Http.Answer answer = node.get("/v1/" + post);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("live_users").asLong();
    }

    private void awaitLiveUsers(long post, long expected, Duration within) {
        Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(liveUsers(first, post)).as("post %d on first", post).isEqualTo(expected);
            assertThat(liveUsers(second, post)).as("post %d on second", post).isEqualTo(expected);
        });
    }

    @Test
    void shouldCountSessionsJoinedOnEitherInstanceAndGoBackToExactlyZeroWhenAllLeave() {
        long post = 101;
        join(first, post, "\"user_id\":1");
        assertThat(session(first, post, "join", "\"user_id\":1").status()).isEqualTo(200);
        join(first, post, "\"user_id\":2");
        join(second, post, "\"session_id\":\"anon-tab-1\"");
        awaitLiveUsers(post, 3, Duration.ofSeconds(10));
        assertThat(first.get("/v1/counters?post_ids=" + post).json().get("counters").get(0).get("live_users").asLong()).isEqualTo(3);

        leave(first, post, "\"user_id\":1");
        awaitLiveUsers(post, 2, Duration.ofSeconds(10));
        leave(first, post, "\"user_id\":2");
        leave(second, post, "\"session_id\":\"anon-tab-1\"");
        session(second, post, "leave", "\"session_id\":\"never-joined\"");
        awaitLiveUsers(post, 0, Duration.ofSeconds(10));
    }

    @Test
    void shouldRefuseABadSessionRequestWithAJsonError() {
        Http.Answer answer = session(first, 102, "wave", "\"user_id\":1");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("bad_request");
        assertThat(first.put("/v1/102/live_users", "{\"action\":\"join\"}").json().get("message").asText()).contains("give one of user_id");
        awaitLiveUsers(102, 0, Duration.ofSeconds(10));
    }

    @Test
    void shouldStopCountingASessionThatStopsRenewingWithinTheTimeout() {
        long post = 103;
        try {
            join(second, post, "\"user_id\":7");
            long lastJoin = System.nanoTime();
            session(first, post, "join", "\"user_id\":8");
            awaitLiveUsers(post, 2, Duration.ofSeconds(10));

            awaitLiveUsers(post, 1, SESSION_TIMEOUT.plus(REPORT_INTERVAL).plusSeconds(3));
            Duration took = Duration.ofNanos(System.nanoTime() - lastJoin);
            assertThat(took).as("the silent session expired after its timeout, not before").isGreaterThanOrEqualTo(SESSION_TIMEOUT.minusMillis(100));
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                    assertThat(liveUsers(first, post)).as("the renewed session keeps counting").isEqualTo(1));
        } finally {
            leave(second, post, "\"user_id\":7");
        }
        awaitLiveUsers(post, 0, SESSION_TIMEOUT.plus(REPORT_INTERVAL).plusSeconds(3));
    }

    @Test
    void shouldDropTheSessionsOfAnInstanceKilledWithoutLeavingWithinTheExpiry() {
        long post = 104;
        // A third instance, as far as presence goes: its own sessions and reporter on the same topic. halt() stops
        // it the way kill -9 would, without withdrawing its reports.
        LiveSettings settings = tally.settings().live().withInstance("doomed:1");
        LocalSessions sessions = new LocalSessions(Clock.systemUTC(), Duration.ofMinutes(5));
        PresenceReporter doomed = new PresenceReporter(settings, sessions, Clock.systemUTC(), new SimpleMeterRegistry()).start();
        try {
            for (int user = 1; user <= 4; user++) {
                sessions.join(post, "user:" + user);
            }
            join(first, post, "\"user_id\":50");
            awaitLiveUsers(post, 5, Duration.ofSeconds(10));

            doomed.halt();
            long killed = System.nanoTime();
            awaitLiveUsers(post, 1, INSTANCE_EXPIRY.plus(REPORT_INTERVAL).plusSeconds(3));
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("dropped by expiry, not at once")
                    .isGreaterThanOrEqualTo(INSTANCE_EXPIRY.dividedBy(2));
        } finally {
            doomed.halt();
        }
        leave(first, post, "\"user_id\":50");
        awaitLiveUsers(post, 0, Duration.ofSeconds(10));
    }
}
