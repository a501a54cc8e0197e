package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalSessionsTest {

    private final MutableClock clock = new MutableClock();
    private final LocalSessions sessions = new LocalSessions(clock, Duration.ofSeconds(30));

    @Test
    void shouldCountTheSameUserJoiningTwiceAsOneSession() {
        sessions.join(7, "user:1");
        sessions.join(7, "user:1");
        sessions.join(7, "session:abc");

        assertThat(sessions.count(7)).isEqualTo(2);
    }

    @Test
    void shouldCountOpenStreamsUntilTheyCloseAndNeverBelowZero() {
        Runnable first = sessions.openStream(7);
        Runnable second = sessions.openStream(7);
        assertThat(sessions.count(7)).isEqualTo(2);

        first.run();
        first.run();
        assertThat(sessions.count(7)).isEqualTo(1);
        second.run();
        sessions.leave(7, "user:99");
        assertThat(sessions.count(7)).isZero();
    }

    @Test
    void shouldTotalTheOpenSessionsOfEveryPostForTheLiveSessionsGauge() {
        sessions.join(7, "user:1");
        sessions.join(8, "user:1");
        Runnable stream = sessions.openStream(8);
        assertThat(sessions.total()).isEqualTo(3);

        clock.advance(Duration.ofSeconds(31));
        assertThat(sessions.total()).as("expired joins are not open").isEqualTo(1);
        stream.run();
        assertThat(sessions.total()).isZero();
    }

    @Test
    void shouldStopCountingAJoinNotRenewedWithinTheTimeout() {
        sessions.join(7, "user:1");
        sessions.join(7, "user:2");
        clock.advance(Duration.ofSeconds(20));
        sessions.join(7, "user:2");
        clock.advance(Duration.ofSeconds(10));

        assertThat(sessions.count(7)).isEqualTo(1);
        assertThat(sessions.sweep()).isEqualTo(Map.of(7L, 1L));
        clock.advance(Duration.ofSeconds(30));
        assertThat(sessions.sweep()).as("the last session's expiry is reported once, as 0").isEqualTo(Map.of(7L, 0L));
        assertThat(sessions.sweep()).isEmpty();
    }

    @Test
    void shouldTellTheListenerOnlyAboutRealChanges() {
        List<Long> changes = new ArrayList<>();
        sessions.onChange(changes::add);

        sessions.join(7, "user:1");
        sessions.join(7, "user:1");
        sessions.leave(8, "user:1");
        sessions.leave(7, "user:1");

        assertThat(changes).containsExactly(7L, 7L);
    }
}
