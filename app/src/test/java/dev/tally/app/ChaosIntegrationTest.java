package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.chaos.ChaosOptions;
import dev.tally.app.chaos.ChaosReport;
import dev.tally.app.chaos.ChaosRun;
import dev.tally.app.chaos.FaultKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./tally chaos} in short, with a fixed seed: three brokers, two ingest and two processors, each a process of
 * its own on 127.0.0.1, under writes retried until acknowledged and reads of every post, through one round of every
 * fault (the leader broker and the active controller killed, a processor killed, a processor frozen past its session
 * timeout, an ingest killed). Every acknowledged write must be counted exactly once and every {@code liked} must be the
 * user's last acknowledged toggle. The report is kept in {@code target/chaos-report.md}, the nodes' logs in
 * {@code target/chaos}.
 */
@Tag("slow")
class ChaosIntegrationTest {

    private static final long SEED = 20261128L;

    @Test
    void shouldCountEveryAcknowledgedWriteExactlyOnceThroughEveryKindOfFault() throws Exception {
        // Under target, not a temporary directory: the nodes' logs stay for a look; the next run empties it.
        Path dir = Path.of("target", "chaos");
        ChaosOptions options = ChaosOptions.parse(List.of("--seed", Long.toString(SEED), "--dir", dir.toString(),
                "--duration", "1s"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ChaosReport report;
        try (PrintStream progress = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            report = ChaosRun.run(options, progress);
            report.print(progress);
        } finally {
            Files.writeString(Path.of("target", "chaos-report.md"), printed.toString(StandardCharsets.UTF_8));
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        for (FaultKind kind : FaultKind.values()) {
            assertThat(report.roundsOf(kind)).as("rounds of %s\n%s", kind, text).isGreaterThanOrEqualTo(1);
        }
        assertThat(report.integrity().writesAcked()).as(text).isGreaterThan(200);
        assertThat(report.integrity().converged()).as(text).isTrue();
        assertThat(report.integrity().lost()).as("acknowledged writes lost\n%s", text).isZero();
        assertThat(report.integrity().doubleCounted()).as("writes counted twice\n%s", text).isZero();
        assertThat(report.integrity().likedMismatches()).as(text).isZero();
        assertThat(report.integrity().refused()).as(text).isZero();
        assertThat(report.jvmCrashes()).as("JVMs that died of themselves\n%s", text).isEmpty();
        // A fault may make a read wait, time out or be refused, never fail inside tally.
        assertThat(report.otherReadStatuses()).as("reads answered 500\n%s", text).doesNotContainKey(500);
        assertThat(report.processorDeathToFullReads()).as(text).isBetween(0L, Duration.ofSeconds(30).toMillis());
    }
}
