package dev.tally.app;

import dev.tally.app.chaos.ChaosCommand;
import dev.tally.app.cluster.ClusterCommand;
import dev.tally.config.Env;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tally run | ingest | processor | rebuild | broker | cluster | chaos}. Only wiring: settings from the environment, an embedded
 * broker when no cluster is given, topics, then the services of the chosen roles until the process is stopped.
 */
public final class TallyMain {

    private static final String USAGE = """
            usage: tally <command>
              run        everything in one process: an embedded Kafka broker (unless KAFKA_BOOTSTRAP_SERVERS is set),
                         ingest, processor and query, serving both APIs on TALLY_HTTP_PORT (default 8080)
              ingest     the write API alone
              processor  the stream processor with its read API
              rebuild    recount every counter from the event topic (stop the processors first)
              broker     one Kafka node (broker and KRaft controller) on 127.0.0.1: TALLY_NODE_ID, TALLY_KAFKA_PORT,
                         TALLY_KAFKA_CONTROLLER_PORT, TALLY_CONTROLLER_QUORUM_VOTERS, TALLY_DATA_DIR
              cluster up N | cluster down
                         N brokers as background processes on 127.0.0.1; prints the bootstrap servers
              chaos [--duration 5m] [--seed N]
                         3 brokers, 2 ingest, 2 processors on 127.0.0.1 under writes, reads and faults; checks
                         every acknowledged write counted exactly once and prints the figures
            settings are environment variables: see README.md""";

    private TallyMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            LogFormat.apply(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tally: " + e.getMessage());
            System.exit(2);
        }
        String command = args.length == 0 ? "help" : args[0];
        TallySettings settings = TallySettings.fromEnv(Env.system());
        switch (command) {
            case "run" -> serve(settings, EnumSet.allOf(Role.class), true);
            case "ingest" -> serve(settings, EnumSet.of(Role.INGEST), false);
            case "processor" -> serve(settings, EnumSet.of(Role.PROCESSOR), false);
            case "rebuild" -> System.exit(rebuild(settings));
            case "broker" -> broker(BrokerSettings.fromEnv(Env.system()));
            case "cluster" -> System.exit(new ClusterCommand(Env.system(), System.out)
                    .run(Arrays.asList(args).subList(1, args.length)));
            case "chaos" -> System.exit(ChaosCommand.run(Arrays.asList(args).subList(1, args.length), System.out));
            default -> {
                System.err.println(USAGE);
                System.exit(command.equals("help") || command.equals("--help") ? 0 : 2);
            }
        }
    }

    private static void serve(TallySettings settings, Set<Role> roles, boolean mayEmbedKafka) throws InterruptedException {
        TallyApp app = TallyApp.start(settings, roles, mayEmbedKafka);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "tally-shutdown"));
        stopped.await();
    }

    private static void broker(BrokerSettings settings) throws InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.start(settings);
        System.out.println("tally broker " + settings.nodeId() + " serving on " + settings.bootstrapServers());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "tally-broker-shutdown"));
        stopped.await();
    }

    private static int rebuild(TallySettings settings) {
        EmbeddedKafka kafka = null;
        try {
            TallySettings connected = settings;
            if (settings.kafkaBootstrapServers().isEmpty()) {
                kafka = TallyApp.startEmbedded(settings);
                connected = settings.withBootstrapServers(kafka.bootstrapServers());
            }
            return new Rebuild(connected.processor(), System.out).run();
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
