package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.PresenceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTableTest {

    private final MutableClock clock = new MutableClock();
    private final PresenceTable table = new PresenceTable(clock, Duration.ofSeconds(10));

    private static PresenceReport report(String instance, long post, long sessions) {
        return new PresenceReport(instance, post, sessions, Instant.EPOCH, null);
    }

    @Test
    void shouldSumTheLatestReportOfEveryInstance() {
        table.accept(report("a", 7, 3));
        table.accept(report("b", 7, 2));
        table.accept(report("a", 7, 1));
        table.accept(report("a", 8, 5));

        assertThat(table.liveUsers(7)).isEqualTo(3);
        assertThat(table.liveUsers(8)).isEqualTo(5);
        assertThat(table.liveUsers(9)).isZero();
    }

    @Test
    void shouldGoBackToExactlyZeroWhenEveryInstanceReportsZero() {
        table.accept(report("a", 7, 3));
        table.accept(report("b", 7, 2));
        table.accept(report("a", 7, 0));
        table.accept(report("b", 7, 0));

        assertThat(table.liveUsers(7)).isZero();
        assertThat(table.posts()).isZero();
    }

    @Test
    void shouldDropTheReportsOfAnInstanceThatStoppedReporting() {
        List<Long> changes = new ArrayList<>();
        table.onChange(changes::add);
        table.accept(report("dead", 7, 4));
        table.accept(report("alive", 7, 1));
        clock.advance(Duration.ofSeconds(6));
        table.accept(report("alive", 7, 1));
        clock.advance(Duration.ofSeconds(5));

        assertThat(table.liveUsers(7)).as("read after expiry, before the sweep").isEqualTo(1);
        changes.clear();
        table.sweep();
        assertThat(changes).containsExactly(7L);
        assertThat(table.liveUsers(7)).isEqualTo(1);
    }

    @Test
    void shouldTellTheListenerOnlyWhenTheSumChanges() {
        List<Long> changes = new ArrayList<>();
        table.onChange(changes::add);

        table.accept(report("a", 7, 2));
        table.accept(report("a", 7, 2));
        table.accept(report("b", 7, 0));

        assertThat(changes).containsExactly(7L);
    }
}
