package dev.tally.app.chaos;

import dev.tally.app.cluster.ClusterView;
import dev.tally.app.cluster.LocalProcess;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Injects one fault of a given kind into the deployment, brings back what it broke, and measures how long that
 * took. Broker faults pick their target from the cluster's metadata (the event topic's busiest leader, the active
 * controller); faults of a tally instance pick one of the two by the run's seed.
 */
final class FaultInjector {

    private static final Duration DOWN = Duration.ofSeconds(3);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Deployment deployment;
    private final ClusterView cluster;
    private final FeedReads feed;
    private final Timeline timeline;
    private final ChaosHttp http;
    private final ChaosOptions options;
    private final FaultPlan plan;
    private final Supervisor supervisor;

    FaultInjector(Deployment deployment, ClusterView cluster, FeedReads feed, Timeline timeline, ChaosHttp http,
                  ChaosOptions options, FaultPlan plan, Supervisor supervisor) {
        this.deployment = deployment;
        this.cluster = cluster;
        this.feed = feed;
        this.timeline = timeline;
        this.http = http;
        this.options = options;
        this.plan = plan;
        this.supervisor = supervisor;
    }

    FaultRound inject(FaultKind kind) {
        return switch (kind) {
            case LEADER_BROKER_KILL -> killBroker(kind, cluster.leaderOfMost(deployment.eventTopic()));
            case CONTROLLER_KILL -> killBroker(kind, cluster.activeController());
            case PROCESSOR_KILL -> killProcessor(plan.pick(2));
            case PROCESSOR_PAUSE -> pauseProcessor(plan.pick(2));
            case INGEST_KILL -> killIngest(plan.pick(2));
        };
    }

    private FaultRound killBroker(FaultKind kind, int nodeId) {
        LocalProcess broker = deployment.brokers().broker(nodeId);
        int window = timeline.open(kind, broker.name());
        long start = timeline.now();
        supervisor.holdDown(broker);
        broker.kill();
        Deployment.pause(DOWN);
        broker.start();
        supervisor.release(broker);
        // The restarted node serves, and every partition has all its replicas in sync again (right after a kill the
        // ISR still lists the dead node, until replica.lag.time.max.ms passes).
        long back = waitUntil(() -> deployment.brokers().answers(nodeId) && cluster.fullyReplicated(deployment.eventTopic()));
        timeline.close(window);
        return new FaultRound(kind, broker.name(), start, timeline.now(), since(start, back), -1);
    }

    private FaultRound killProcessor(int index) {
        TallyInstance victim = deployment.processors().get(index);
        TallyInstance survivor = deployment.processors().get(1 - index);
        int window = timeline.open(FaultKind.PROCESSOR_KILL, victim.name());
        long start = timeline.now();
        supervisor.holdDown(victim.process());
        victim.process().kill();
        long served = waitUntil(() -> feed.readAll(survivor).isPresent());
        Deployment.pause(DOWN);
        long restart = timeline.now();
        victim.process().start();
        supervisor.release(victim.process());
        long answering = waitUntil(() -> feed.readAll(victim).isPresent());
        timeline.close(window);
        return new FaultRound(FaultKind.PROCESSOR_KILL, victim.name(), start, timeline.now(), since(start, served),
                since(restart, answering));
    }

    private FaultRound pauseProcessor(int index) {
        TallyInstance victim = deployment.processors().get(index);
        TallyInstance survivor = deployment.processors().get(1 - index);
        int window = timeline.open(FaultKind.PROCESSOR_PAUSE, victim.name());
        long start = timeline.now();
        supervisor.holdDown(victim.process());
        victim.process().pause();
        long served = waitUntil(() -> feed.readAll(survivor).isPresent());
        long frozenFor = options.sessionTimeout().plusSeconds(3).toMillis() - (timeline.now() - start);
        Deployment.pause(Duration.ofMillis(Math.max(0, frozenFor)));
        long thawed = timeline.now();
        victim.process().resume();
        supervisor.release(victim.process());
        long answering = waitUntil(() -> feed.readAll(victim).isPresent());
        timeline.close(window);
        return new FaultRound(FaultKind.PROCESSOR_PAUSE, victim.name(), start, timeline.now(), since(start, served),
                since(thawed, answering));
    }

    private FaultRound killIngest(int index) {
        TallyInstance victim = deployment.ingests().get(index);
        int window = timeline.open(FaultKind.INGEST_KILL, victim.name());
        long start = timeline.now();
        supervisor.holdDown(victim.process());
        victim.process().kill();
        Deployment.pause(DOWN);
        victim.process().start();
        supervisor.release(victim.process());
        long back = waitUntil(() -> http.get(victim.base() + "/health/ready", Duration.ofSeconds(2)).status() == 200);
        timeline.close(window);
        return new FaultRound(FaultKind.INGEST_KILL, victim.name(), start, timeline.now(), since(start, back), -1);
    }

    /** The moment the condition held, or -1 if it did not within the recovery timeout. */
    private long waitUntil(BooleanSupplier condition) {
        long deadline = timeline.now() + RECOVERY_TIMEOUT.toMillis();
        while (timeline.now() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return timeline.now();
                }
            } catch (RuntimeException notYet) {
                // metadata not available while a broker is away: ask again
            }
            Deployment.pause(POLL);
        }
        return -1;
    }

    private static long since(long start, long at) {
        return at < 0 ? -1 : at - start;
    }
}
