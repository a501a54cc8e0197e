package dev.tally.app;

import dev.tally.app.chaos.ChaosCommand;
import dev.tally.app.cluster.ClusterCommand;
import dev.tally.config.Env;
import java.util.Arrays;
import dev.tally.http.security.TokenMinter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tally run | ingest | processor | rebuild | setup | token | broker | cluster | chaos} ({@code mirror} is
 * {@code dev.tally.mirror.MirrorMain}, on a class path of its own). Only wiring: settings from the environment, an embedded
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
              setup      create tally's topics and, with TALLY_SETUP_INGEST_USER/_PASSWORD and
                         TALLY_SETUP_PROCESSOR_USER/_PASSWORD, their SCRAM users and ACLs (as a Kafka admin)
              token <user_id> [--admin]
                         print a development bearer token for the user, valid for 24 hours, signed with the
                         configured key (TALLY_JWT_SECRET, or a private key in the TALLY_JWT_JWKS_URL file)
              broker     one Kafka node (broker and KRaft controller) on 127.0.0.1: TALLY_NODE_ID, TALLY_KAFKA_PORT,
                         TALLY_KAFKA_CONTROLLER_PORT, TALLY_CONTROLLER_QUORUM_VOTERS, TALLY_DATA_DIR
              cluster up N | cluster down
                         N brokers as background processes on 127.0.0.1; prints the bootstrap servers
              chaos [--duration 5m] [--seed N]
                         3 brokers, 2 ingest, 2 processors on 127.0.0.1 under writes, reads and faults; checks
                         every acknowledged write counted exactly once and prints the figures
              mirror     MirrorMaker 2: copies each peer region's events into this region's cluster, exactly
                         once (TALLY_REGION, TALLY_PEER_REGIONS, TALLY_MIRROR_CLUSTERS); run by the ./tally
                         launcher on a class path of its own
            settings are environment variables: see README.md""";

    private static final Duration DEV_TOKEN_LIFETIME = Duration.ofHours(24);

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
            case "token" -> System.exit(token(settings, args, System.out, System.err));
            case "setup" -> {
                if (settings.kafkaBootstrapServers().isEmpty()) {
                    throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must be set for setup");
                }
                KafkaSetup.fromEnv(settings.env()).run(settings);
            }
            case "broker" -> broker(BrokerSettings.fromEnv(Env.system()));
            case "cluster" -> System.exit(new ClusterCommand(Env.system(), System.out)
                    .run(Arrays.asList(args).subList(1, args.length)));
            case "chaos" -> System.exit(ChaosCommand.run(Arrays.asList(args).subList(1, args.length), System.out));
            // Run by the ./tally launcher once per build, under -XX:ArchiveClassesAtExit (see ClassDataTraining).
            case "cds-training" -> System.exit(ClassDataTraining.run());
            case "mirror" -> {
                // MirrorMaker needs Kafka 4.3.1 classes, which cannot share this 4.4 class path.
                System.err.println("tally: the mirror runs on a class path of its own: start it with ./tally mirror"
                        + " (dev.tally.mirror.MirrorMain on mirror/target/lib)");
                System.exit(2);
            }
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

    /** Prints a development token, or why there is none; the exit code. */
    static int token(TallySettings settings, String[] args, PrintStream out, PrintStream err) {
        long userId;
        try {
            userId = args.length < 2 ? 0 : Long.parseLong(args[1]);
        } catch (NumberFormatException e) {
            userId = 0;
        }
        boolean admin = args.length == 3 && args[2].equals("--admin");
        if (userId <= 0 || args.length > 3 || (args.length == 3 && !admin)) {
            err.println("usage: tally token <user_id> [--admin]   (user_id from 1 to 9223372036854775807)");
            return 2;
        }
        try {
            out.println(TokenMinter.of(settings.security()).mint(userId, admin, DEV_TOKEN_LIFETIME));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("tally token: " + e.getMessage());
            return 1;
        }
    }

    private static int rebuild(TallySettings settings) {
        EmbeddedKafka kafka = null;
        try {
            TallySettings connected = settings;
            if (settings.kafkaBootstrapServers().isEmpty()) {
                kafka = TallyApp.startEmbedded(settings);
                connected = settings.withBootstrapServers(kafka.bootstrapServers());
            }
            // Data of an earlier version may lack a topic this one reads.
            TopicSetup.ensure(connected.shared(), connected.partitions(), connected.eventRetentionMillis());
            return new Rebuild(connected.processor(), System.out).run();
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
