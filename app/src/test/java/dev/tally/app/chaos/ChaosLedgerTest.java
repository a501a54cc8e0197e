package dev.tally.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the chaos checker expects from a ledger, and how a seed picks the faults: the parts that decide pass or fail. */
class ChaosLedgerTest {

    private final Ledger ledger = new Ledger();

    @Test
    void shouldExpectEveryAcknowledgedViewAndAllowAnUnacknowledgedOneEitherWay() {
        write(view(1, "v-1"), true);
        write(view(1, "v-2"), true);
        write(view(1, "v-3"), false);
        write(view(2, "v-4"), true);

        Expected expected = new Expected(ledger.entries(), 2);

        assertThat(expected.views(1)).isEqualTo(new Expected.Range(2, 3));
        assertThat(expected.views(2)).isEqualTo(new Expected.Range(1, 1));
    }

    @Test
    void shouldTakeEachUsersLastAcknowledgedToggleAndBothStatesWhenTheLastIsUnacknowledged() {
        write(like(1, 1, true, "a"), true);
        write(like(1, 1, false, "b"), true);
        write(like(1, 2, true, "c"), true);
        write(like(1, 3, true, "d"), true);
        write(like(1, 3, false, "e"), false);

        Expected expected = new Expected(ledger.entries(), 1);

        assertThat(expected.likes(1)).isEqualTo(new Expected.Range(1, 2));
        assertThat(expected.liked()).isEqualTo(Map.of(Expected.pair(1, 1), false, Expected.pair(1, 2), true));
    }

    @Test
    void shouldPickTheSameFaultsForTheSameSeedAndEveryKindFirst() {
        List<FaultKind> first = firstKinds(new FaultPlan(42), 8);
        assertThat(firstKinds(new FaultPlan(42), 8)).isEqualTo(first);
        assertThat(EnumSet.copyOf(first.subList(0, FaultKind.values().length))).containsExactlyInAnyOrder(FaultKind.values());
    }

    @Test
    void shouldReadTheCommandsOptions() {
        ChaosOptions options = ChaosOptions.parse(List.of("--duration", "90s", "--seed", "7"));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.seed()).isEqualTo(7);
        assertThat(ChaosOptions.parse(List.of()).duration()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ChaosOptions.parse(List.of("--duration", "5 minutes")))
                .hasMessageContaining("90s or 5m");
    }

    private static List<FaultKind> firstKinds(FaultPlan plan, int count) {
        List<FaultKind> kinds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            kinds.add(plan.nextKind());
        }
        return kinds;
    }

    private void write(Ledger.Write write, boolean acked) {
        Ledger.Entry entry = ledger.begin(write, 0);
        entry.attempted(acked ? 202 : 503);
        if (acked) {
            entry.ack(10);
        }
    }

    private static Ledger.Write view(long post, String key) {
        return new Ledger.Write(post, "views", 0, true, key);
    }

    private static Ledger.Write like(long post, long user, boolean like, String key) {
        return new Ledger.Write(post, "likes", user, like, key);
    }
}
