package dev.tally.app;

import dev.tally.config.Env;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./tally run | ingest | processor | rebuild}. Only wiring: settings from the environment, an embedded
 * broker when no cluster is given, topics, then the services of the chosen roles until the process is stopped.
 */
public final class TallyMain {

    private static final Logger LOG = LoggerFactory.getLogger(TallyMain.class);
    private static final String USAGE = """
            usage: tally <command>
              run        everything in one process: an embedded Kafka broker (unless KAFKA_BOOTSTRAP_SERVERS is set),
                         ingest, processor and query, serving both APIs on TALLY_HTTP_PORT (default 8080)
              ingest     the write API alone
              processor  the stream processor with its read API
              rebuild    recount every counter from the event topic (stop the processors first)
            settings are environment variables: see README.md""";

    private TallyMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        TallySettings settings = TallySettings.fromEnv(Env.system());
        switch (command) {
            case "run" -> serve(settings, EnumSet.allOf(Role.class), true);
            case "ingest" -> serve(settings, EnumSet.of(Role.INGEST), false);
            case "processor" -> serve(settings, EnumSet.of(Role.PROCESSOR), false);
            case "rebuild" -> System.exit(rebuild(settings));
            default -> {
                System.err.println(USAGE);
                System.exit(command.equals("help") || command.equals("--help") ? 0 : 2);
            }
        }
    }

    private static void serve(TallySettings settings, Set<Role> roles, boolean mayEmbedKafka) throws InterruptedException {
        EmbeddedKafka kafka = null;
        String bootstrap;
        if (settings.kafkaBootstrapServers().isPresent()) {
            bootstrap = settings.kafkaBootstrapServers().get();
        } else if (mayEmbedKafka) {
            kafka = EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.embeddedKafkaPort(),
                    settings.embeddedControllerPort());
            bootstrap = kafka.bootstrapServers();
            LOG.info("embedded Kafka broker on {}", bootstrap);
        } else {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must be set for this command");
        }
        TallyNode node;
        try {
            TopicSetup.ensure(bootstrap, settings.topics(), settings.partitions(), settings.replicationFactor(),
                    settings.eventRetentionMillis());
            node = TallyNode.start(settings, bootstrap, roles);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
        LOG.info("tally {} serving on http://{}:{}", roles, settings.advertisedHost(), node.port());
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafka embedded = kafka;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            if (embedded != null) {
                embedded.close();
            }
            stopped.countDown();
        }, "tally-shutdown"));
        stopped.await();
    }

    private static int rebuild(TallySettings settings) {
        EmbeddedKafka kafka = null;
        try {
            String bootstrap;
            if (settings.kafkaBootstrapServers().isPresent()) {
                bootstrap = settings.kafkaBootstrapServers().get();
            } else {
                kafka = EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.embeddedKafkaPort(),
                        settings.embeddedControllerPort());
                bootstrap = kafka.bootstrapServers();
            }
            return new Rebuild(settings.processor(bootstrap), System.out).run();
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
