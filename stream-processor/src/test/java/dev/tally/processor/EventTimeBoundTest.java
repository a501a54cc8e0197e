package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.RuleViolation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeBoundTest {

    private static final EventTimeBound BOUND = new EventTimeBound(Duration.ofMinutes(5));
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void shouldAcceptAnEventWithinTheSkewOfItsRecordAndTheClock() {
        assertThat(BOUND.check(NOW, NOW.toEpochMilli(), NOW.toEpochMilli())).isEqualTo(NOW.toEpochMilli());
        Instant early = NOW.minus(Duration.ofMinutes(5));
        assertThat(BOUND.check(early, NOW.toEpochMilli(), NOW.toEpochMilli())).isEqualTo(early.toEpochMilli());
        Instant late = NOW.plus(Duration.ofMinutes(5));
        assertThat(BOUND.check(late, NOW.toEpochMilli(), NOW.toEpochMilli())).isEqualTo(late.toEpochMilli());
    }

    @Test
    void shouldAcceptAnOldEventReplayedLongAfterItWasWritten() {
        Instant lastYear = NOW.minus(Duration.ofDays(365));
        assertThat(BOUND.check(lastYear, lastYear.toEpochMilli(), NOW.toEpochMilli())).isEqualTo(lastYear.toEpochMilli());
    }

    @Test
    void shouldRefuseAnEventDatedInTheFutureOfItsRecord() {
        assertThatThrownBy(() -> BOUND.check(Instant.parse("2099-01-01T00:00:00Z"), NOW.toEpochMilli(), NOW.toEpochMilli()))
                .isInstanceOf(RuleViolation.class)
                .hasMessageStartingWith("timestamp 2099-01-01T00:00:00Z is more than 300000 ms ahead");
    }

    @Test
    void shouldRefuseAnEventWhoseRecordTimestampIsForgedIntoTheFutureToo() {
        Instant future = Instant.parse("2099-01-01T00:00:00Z");
        assertThatThrownBy(() -> BOUND.check(future, future.toEpochMilli(), NOW.toEpochMilli()))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("the processor's clock 2026-11-27T12:00:00Z");
        Instant justBeyond = NOW.plus(Duration.ofMinutes(5)).plusMillis(1);
        assertThatThrownBy(() -> BOUND.check(justBeyond, justBeyond.toEpochMilli(), NOW.toEpochMilli()))
                .isInstanceOf(RuleViolation.class);
    }

    @Test
    void shouldRefuseAnEventDatedLongBeforeItsRecord() {
        assertThatThrownBy(() -> BOUND.check(Instant.EPOCH, NOW.toEpochMilli(), NOW.toEpochMilli()))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("before the record's timestamp");
    }

    @Test
    void shouldRefuseTheFarthestInstantsWithoutOverflowing() {
        assertThatThrownBy(() -> BOUND.check(Instant.MAX, NOW.toEpochMilli(), NOW.toEpochMilli()))
                .isInstanceOf(RuleViolation.class);
        assertThatThrownBy(() -> BOUND.check(Instant.MIN, NOW.toEpochMilli(), NOW.toEpochMilli()))
                .isInstanceOf(RuleViolation.class);
    }
}
