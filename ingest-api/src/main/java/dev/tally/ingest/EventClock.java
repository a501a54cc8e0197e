package dev.tally.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stamps events: the clock's time in microseconds, but never the same microsecond twice in one process, even for
 * two requests on two threads or the events of one batch. A user's like state is the event with the latest stamp
 * (last writer wins), so two actions of one user must never tie.
 */
final class EventClock {

    private final Clock clock;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

    EventClock(Clock clock) {
        this.clock = clock;
    }

    Instant next() {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        long stamped = lastMicros.accumulateAndGet(micros, (last, current) -> Math.max(last + 1, current));
        return Instant.ofEpochSecond(Math.floorDiv(stamped, 1_000_000L), Math.floorMod(stamped, 1_000_000L) * 1_000L);
    }
}
