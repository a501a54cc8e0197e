package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventClockTest {

    @Test
    void shouldStampEveryEventADistinctLaterMicrosecondEvenWhenTheClockStandsStillOrGoesBack() {
        Instant at = Instant.parse("2026-11-28T10:00:00.123456789Z");
        EventClock stopped = new EventClock(Clock.fixed(at, ZoneOffset.UTC));
        List<Instant> stamps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stamps.add(stopped.next());
        }
        assertThat(stamps).containsExactly(Instant.parse("2026-11-28T10:00:00.123456Z"),
                Instant.parse("2026-11-28T10:00:00.123457Z"), Instant.parse("2026-11-28T10:00:00.123458Z"));
    }

    @Test
    void shouldFollowTheClockWhenItMovesOn() {
        EventClock clock = new EventClock(Clock.systemUTC());
        Instant first = clock.next();
        Instant second = clock.next();
        assertThat(second).isAfter(first);
        assertThat(second.getNano() % 1_000).isZero();
    }
}
