package dev.tally.app.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The outcome of a chaos run: the integrity verdict (what makes it pass or fail) and the figures: reads answered
 * and refused by fault kind, write acknowledgement p99 during and outside faults, the longest time a post had no
 * answer, recovery times of every round, and reads that went backwards.
 */
public record ChaosReport(ChaosOptions options, List<FaultRound> rounds, Integrity integrity, List<KindFigures> kinds,
                          KindFigures outsideFaults, long writeAckP99DuringFaults, long longestNoAnswer,
                          long longestNoAnswerPost, List<ReadLog.Regression> regressions, List<String> jvmCrashes,
                          List<Supervisor.Intervention> supervisorStarts, Map<Integer, Long> otherReadStatuses,
                          Map<String, Long> unavailableReasons) {

    /** Figures of the moments one kind of fault was under way (or of no fault, {@code kind} empty). */
    public record KindFigures(Optional<FaultKind> kind, int rounds, long readsOk, long reads503, long readsNoAnswer,
                              long readsOther, long writesAcked, long writeAckP99, long readsWentDown) {
    }

    static ChaosReport of(ChaosOptions options, List<FaultRound> rounds, Integrity integrity, ReadLog reads,
                          Ledger ledger, Timeline timeline, List<Supervisor.Intervention> supervisorStarts) {
        List<Ledger.Entry> acked = ledger.entries().stream().filter(Ledger.Entry::acked).toList();
        List<KindFigures> kinds = new ArrayList<>();
        Map<Optional<FaultKind>, Long> wentDown = reads.regressions().stream()
                .collect(Collectors.groupingBy(regression -> timeline.during(regression.at()),
                        Collectors.counting()));
        for (FaultKind kind : FaultKind.values()) {
            ReadLog.Tally tally = reads.during(kind);
            long[] latencies = latencies(acked, timeline, Optional.of(kind));
            kinds.add(new KindFigures(Optional.of(kind), (int) rounds.stream().filter(round -> round.kind() == kind).count(),
                    tally.ok, tally.unavailable, tally.noAnswer, tally.other, latencies.length, p99(latencies),
                    wentDown.getOrDefault(Optional.of(kind), 0L)));
        }
        ReadLog.Tally calm = reads.outsideFaults();
        long[] calmLatencies = latencies(acked, timeline, Optional.empty());
        KindFigures outside = new KindFigures(Optional.empty(), 0, calm.ok, calm.unavailable, calm.noAnswer, calm.other,
                calmLatencies.length, p99(calmLatencies), wentDown.getOrDefault(Optional.<FaultKind>empty(), 0L));
        long[] faulty = acked.stream().filter(entry -> !timeline.overlapping(entry.firstAttempt(), entry.ackedAt()).isEmpty())
                .mapToLong(entry -> entry.ackedAt() - entry.firstAttempt()).toArray();
        return new ChaosReport(options, List.copyOf(rounds), integrity, kinds, outside, p99(faulty), reads.longestGap(),
                reads.longestGapPost(), reads.regressions(), jvmCrashes(options.dir()), List.copyOf(supervisorStarts),
                reads.otherStatuses(), reads.unavailableReasons());
    }

    /** The hs_err files tally's JVMs left in the run's directory: each a JVM that died of itself, not of a fault. */
    private static List<String> jvmCrashes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.contains("hs_err")).sorted().toList();
        } catch (IOException e) {
            return List.of("(the run's directory could not be read: " + e.getMessage() + ")");
        }
    }

    /** Acknowledgement times of the writes that were under way while a fault of the kind was (or while none was). */
    private static long[] latencies(List<Ledger.Entry> acked, Timeline timeline, Optional<FaultKind> kind) {
        return acked.stream().filter(entry -> {
            java.util.Set<FaultKind> during = timeline.overlapping(entry.firstAttempt(), entry.ackedAt());
            return kind.map(during::contains).orElse(during.isEmpty());
        }).mapToLong(entry -> entry.ackedAt() - entry.firstAttempt()).toArray();
    }

    private static long p99(long[] values) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }

    /** Whether every acknowledged write was counted exactly once and every {@code liked} is right. */
    public boolean exact() {
        return integrity.exact();
    }

    /** Rounds of a kind of fault that ran. */
    public long roundsOf(FaultKind kind) {
        return rounds.stream().filter(round -> round.kind() == kind).count();
    }

    /** The longest a processor's death left some post without an answer from the other processor, in ms. */
    public long processorDeathToFullReads() {
        return rounds.stream().filter(round -> round.kind() == FaultKind.PROCESSOR_KILL)
                .mapToLong(FaultRound::servedAgainAfter).max().orElse(-1);
    }

    /** The longest from a killed processor's restart until it answered every post, in ms. */
    public long processorRestartToReads() {
        return rounds.stream().filter(round -> round.kind() == FaultKind.PROCESSOR_KILL)
                .mapToLong(FaultRound::restartToReads).max().orElse(-1);
    }

    public void print(PrintStream out) {
        Integrity verdict = integrity;
        out.printf("tally chaos: seed %d, %d rounds of faults%n", options.seed(), rounds.size());
        out.printf("writes: %d attempted, %d acknowledged, %d sends (retries included), %d refused with 4xx%n",
                verdict.writesAttempted(), verdict.writesAcked(), verdict.sends(), verdict.refused());
        out.printf("integrity: %s; lost %d, double-counted %d, liked wrong %d of %d, counts %s%n",
                verdict.exact() ? "EXACT" : "VIOLATED", verdict.lost(), verdict.doubleCounted(), verdict.likedMismatches(),
                verdict.likedChecked(), verdict.converged() ? "settled " + verdict.convergedAfter() + " ms after the last write"
                        : "never settled");
        verdict.examples().forEach(example -> out.println("  " + example));
        out.println();
        out.println("| during | rounds | reads 200 | reads 503 | no answer | other | views went down | acked writes under way | write ack p99 ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (KindFigures figures : kinds) {
            row(out, figures.kind().get().label(), figures);
        }
        row(out, "no fault", outsideFaults);
        if (!unavailableReasons.isEmpty()) {
            out.printf("%nreads refused with 503, by fault and reason:%n");
            unavailableReasons.forEach((reason, count) -> out.printf("  %6d  %s%n", count, reason));
        }
        if (!otherReadStatuses.isEmpty()) {
            out.printf("%nreads of another status (\"other\" above), by status: %s%n", otherReadStatuses);
        }
        out.printf("%nwrite ack p99: %d ms during faults, %d ms outside%n", writeAckP99DuringFaults, outsideFaults.writeAckP99());
        out.printf("longest time a post had no answer from either processor: %d ms (post %d)%n", longestNoAnswer,
                longestNoAnswerPost);
        out.printf("processor killed -> every post answered by the other: %d ms; restart -> it answers every post: %d ms%n",
                processorDeathToFullReads(), processorRestartToReads());
        out.printf("JVMs that crashed by themselves (not killed by a fault): %d%s%n", jvmCrashes.size(),
                jvmCrashes.isEmpty() ? "" : " " + jvmCrashes);
        out.printf("nodes the supervisor had to start again (exited by themselves, or /health/live silent %d s, %d s"
                        + " after a start): %d%n", Supervisor.LIVENESS.toSeconds(), Supervisor.STARTUP.toSeconds(),
                supervisorStarts.size());
        supervisorStarts.forEach(start -> out.printf("  %s at %.1f s, %s: %s%n", start.node(), start.at() / 1000.0,
                start.reason(), start.evidence()));
        out.printf("monotonic-read violations (views lower than a reader saw before): %d%n", regressions.size());
        regressions.stream().limit(5).forEach(regression -> out.printf("  %s post %d: %d after %d at %d ms%n",
                regression.reader(), regression.postId(), regression.now(), regression.seen(), regression.at()));
        out.println();
        out.println("| round | fault | target | at s | served again after ms | restart to reads ms |");
        out.println("|---|---|---|---|---|---|");
        for (int i = 0; i < rounds.size(); i++) {
            FaultRound round = rounds.get(i);
            out.printf("| %d | %s | %s | %.1f | %d | %s |%n", i + 1, round.kind().label(), round.target(), round.start() / 1000.0,
                    round.servedAgainAfter(), round.restartToReads() < 0 ? "" : Long.toString(round.restartToReads()));
        }
    }

    private static void row(PrintStream out, String label, KindFigures figures) {
        out.printf("| %s | %d | %d | %d | %d | %d | %d | %d | %d |%n", label, figures.rounds(), figures.readsOk(), figures.reads503(),
                figures.readsNoAnswer(), figures.readsOther(), figures.readsWentDown(), figures.writesAcked(), figures.writeAckP99());
    }
}
