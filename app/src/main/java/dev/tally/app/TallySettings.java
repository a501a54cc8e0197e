package dev.tally.app;

import dev.tally.config.Env;
import dev.tally.http.TallyHttp;
import dev.tally.ingest.IngestSettings;
import dev.tally.live.LiveSettings;
import dev.tally.processor.ProcessorSettings;
import dev.tally.query.QuerySettings;
import dev.tally.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The launcher's own settings, and the source of each service's settings. Every value has an environment variable
 * and a default; the README lists them.
 *
 * @param kafkaBootstrapServers an external cluster; empty means "embed a single-node broker" ({@code ./tally run})
 * @param advertisedHost        the host name other instances use to reach this one's HTTP port
 * @param httpThreads           request threads: reads, writes and forwards are asynchronous, and more threads than a
 *                              few per core only queue on Kafka Streams' interactive-query locks
 * @param httpBodyDeadline      how long a request body may take to arrive in full before it is refused with 408
 */
public record TallySettings(
        Env env,
        Optional<String> kafkaBootstrapServers,
        String httpHost,
        int httpPort,
        int httpThreads,
        Duration httpBodyDeadline,
        String advertisedHost,
        Path dataDir,
        int embeddedKafkaPort,
        int embeddedControllerPort,
        TopicNames topics,
        int partitions,
        short replicationFactor,
        long eventRetentionMillis) {

    public static TallySettings fromEnv(Env env) {
        return new TallySettings(
                env,
                Optional.ofNullable(env.string("KAFKA_BOOTSTRAP_SERVERS", null)),
                env.string("TALLY_HTTP_HOST", "0.0.0.0"),
                env.integer("TALLY_HTTP_PORT", 8080),
                env.integer("TALLY_HTTP_THREADS", TallyHttp.DEFAULT_THREADS),
                env.millis("TALLY_HTTP_BODY_TIMEOUT_MS", TallyHttp.DEFAULT_BODY_DEADLINE),
                env.string("TALLY_ADVERTISED_HOST", "localhost"),
                Path.of(env.string("TALLY_DATA_DIR", "./data")),
                env.integer("TALLY_KAFKA_PORT", 9092),
                env.integer("TALLY_KAFKA_CONTROLLER_PORT", 9093),
                TopicNames.withPrefix(env.string("TALLY_TOPIC_PREFIX", "")),
                env.integer("TALLY_PARTITIONS", 12),
                (short) env.integer("TALLY_REPLICATION_FACTOR", 1),
                env.longValue("TALLY_EVENTS_RETENTION_MS", -1L));
    }

    /** The same settings on another HTTP port, for several instances in one JVM (tests). */
    public TallySettings withHttpPort(int port) {
        return new TallySettings(env, kafkaBootstrapServers, httpHost, port, httpThreads, httpBodyDeadline, advertisedHost, dataDir,
                embeddedKafkaPort, embeddedControllerPort, topics, partitions, replicationFactor, eventRetentionMillis);
    }

    public String applicationServer() {
        return advertisedHost + ":" + httpPort;
    }

    public ProcessorSettings processor(String bootstrapServers) {
        return ProcessorSettings.fromEnv(env, bootstrapServers, applicationServer(), dataDir);
    }

    public IngestSettings ingest(String bootstrapServers) {
        return IngestSettings.fromEnv(env, bootstrapServers);
    }

    public LiveSettings live(String bootstrapServers) {
        return LiveSettings.fromEnv(env, bootstrapServers, applicationServer());
    }

    public QuerySettings query() {
        return QuerySettings.fromEnv(env, applicationServer());
    }
}
