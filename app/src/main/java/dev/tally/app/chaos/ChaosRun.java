package dev.tally.app.chaos;

import dev.tally.app.cluster.ClusterView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A whole fault run: starts the {@link Deployment}, lets writers and readers run, injects rounds of faults the seed
 * picks until the duration is over (every kind at least once), lets the writers finish their retries, checks the
 * counts against the ledger, stops everything. Nothing runs on any host but 127.0.0.1, and everything stops by itself.
 */
public final class ChaosRun {

    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration CALM_TAIL = Duration.ofSeconds(3);
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private ChaosRun() {
    }

    public static ChaosReport run(ChaosOptions options, PrintStream progress) {
        ChaosHttp http = new ChaosHttp();
        progress.printf("chaos: starting 3 brokers, 2 ingest, 2 processors under %s%n", options.dir().toAbsolutePath());
        try (Deployment deployment = Deployment.start(options, http);
             ClusterView cluster = new ClusterView(deployment.brokers().bootstrapServers())) {
            Timeline timeline = new Timeline();
            // Closed before the deployment (declared after it), so it does not start again what the end stops.
            try (Supervisor supervisor = new Supervisor(deployment, http, timeline, options.dir())) {
                return runUnderSupervision(options, progress, http, deployment, cluster, timeline, supervisor);
            }
        }
    }

    private static ChaosReport runUnderSupervision(ChaosOptions options, PrintStream progress, ChaosHttp http,
                                                   Deployment deployment, ClusterView cluster, Timeline timeline,
                                                   Supervisor supervisor) {
        Ledger ledger = new Ledger();
        Deadlines deadlines = new Deadlines();
        FeedReads feed = new FeedReads(http, options.posts());
        ReadLog reads = new ReadLog(options.posts(), timeline.now());
        FaultPlan plan = new FaultPlan(options.seed());
        ExecutorService clients = Executors.newFixedThreadPool(options.writers() + deployment.processors().size());
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < options.writers(); i++) {
                writers.add(clients.submit(new Writer(i, options.posts(), deployment.ingests(), http, ledger, timeline,
                        deadlines, options.seed() * 31 + i)));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (TallyInstance processor : deployment.processors()) {
                readers.add(clients.submit(new Reader(processor, feed, reads, timeline, deadlines)));
            }
            progress.printf("chaos: load running; faults from seed %d for %s%n", options.seed(), options.duration());
            Deployment.pause(WARM_UP);
            FaultInjector injector = new FaultInjector(deployment, cluster, feed, timeline, http, options, plan, supervisor);
            List<FaultRound> rounds = new ArrayList<>();
            long faultsEnd = timeline.now() + options.duration().toMillis();
            while (timeline.now() < faultsEnd || !plan.coveredEveryKind()) {
                FaultRound round = injector.inject(plan.nextKind());
                rounds.add(round);
                progress.printf("chaos: %s of %s, served again after %d ms%n", round.kind().label(), round.target(),
                        round.servedAgainAfter());
                Deployment.pause(QUIET);
            }
            long stop = timeline.now() + CALM_TAIL.toMillis();
            deadlines.writersStopAt(stop, stop + DRAIN.toMillis());
            await(writers);
            deadlines.readersStopAt(timeline.now());
            await(readers);
            reads.finish(timeline.now());
            progress.println("chaos: writers done; checking the counts against the ledger");
            Integrity integrity = new Checker(ledger, deployment.processors(), feed, http, timeline, options.posts())
                    .check(SETTLE);
            return ChaosReport.of(options, rounds, integrity, reads, ledger, timeline, supervisor.interventions());
        } finally {
            clients.shutdownNow();
        }
    }

    private static void await(List<Future<?>> tasks) {
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a chaos client failed", e.getCause());
            }
        }
    }
}
