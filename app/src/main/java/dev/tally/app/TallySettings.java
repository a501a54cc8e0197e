package dev.tally.app;

import dev.tally.config.Env;
import dev.tally.config.GroupMember;
import dev.tally.config.SharedSettings;
import dev.tally.http.TallyHttp;
import dev.tally.http.security.SecuritySettings;
import dev.tally.ingest.IngestSettings;
import dev.tally.kafka.KafkaClients;
import dev.tally.live.LiveSettings;
import dev.tally.processor.ProcessorSettings;
import dev.tally.query.QuerySettings;
import dev.tally.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The launcher's own settings, and the source of each service's settings. Every value has an environment variable
 * and a default; the README lists them. The settings all services share are read here once ({@link SharedSettings}).
 *
 * @param shared         Kafka connection, topics, counters and replication factor, the same for every service;
 *                       blank bootstrap servers mean "embed a single-node broker" ({@code ./tally run})
 * @param advertisedHost the host name other instances use to reach this one's HTTP port
 * @param httpThreads    request threads: reads, writes and forwards are asynchronous, and more threads than a
 *                       few per core only queue on Kafka Streams' interactive-query locks
 * @param httpBodyDeadline how long a request body may take to arrive in full before it is refused with 408
 * @param adminPort      {@code TALLY_ADMIN_PORT}: when set, {@code /metrics} and {@code /health/*} are served on
 *                       this port only, never on the public one; 0 picks a free port (tests)
 * @param security       identity, rate limits, CORS and trusted proxies at the HTTP edge
 */
public record TallySettings(
        Env env,
        SharedSettings shared,
        String httpHost,
        int httpPort,
        int httpThreads,
        Duration httpBodyDeadline,
        String advertisedHost,
        Path dataDir,
        int embeddedKafkaPort,
        int embeddedControllerPort,
        int partitions,
        long eventRetentionMillis,
        Optional<Integer> adminPort,
        SecuritySettings security) {

    public static TallySettings fromEnv(Env env) {
        return new TallySettings(
                env,
                SharedSettings.fromEnv(env, env.string("KAFKA_BOOTSTRAP_SERVERS", "")),
                env.string("TALLY_HTTP_HOST", "0.0.0.0"),
                env.integer("TALLY_HTTP_PORT", 8080),
                env.integer("TALLY_HTTP_THREADS", TallyHttp.DEFAULT_THREADS),
                env.millis("TALLY_HTTP_BODY_TIMEOUT_MS", TallyHttp.DEFAULT_BODY_DEADLINE),
                env.string("TALLY_ADVERTISED_HOST", "localhost"),
                Path.of(env.string("TALLY_DATA_DIR", "./data")),
                env.integer("TALLY_KAFKA_PORT", 9092),
                env.integer("TALLY_KAFKA_CONTROLLER_PORT", 9093),
                env.integer("TALLY_PARTITIONS", 12),
                env.longValue("TALLY_EVENTS_RETENTION_MS", -1L),
                env.string("TALLY_ADMIN_PORT", "").isEmpty() ? Optional.empty()
                        : Optional.of(env.integer("TALLY_ADMIN_PORT", 0)),
                SecuritySettings.fromEnv(env));
    }

    /** The cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}; empty when tally embeds its own broker. */
    public Optional<String> kafkaBootstrapServers() {
        String servers = shared.kafka().bootstrapServers();
        return servers.isBlank() ? Optional.empty() : Optional.of(servers);
    }

    /** The same settings connected to the given servers: the embedded broker once it has started. */
    public TallySettings withBootstrapServers(String bootstrapServers) {
        KafkaClients kafka = new KafkaClients(bootstrapServers, shared.kafka().extra());
        return new TallySettings(env, shared.withKafka(kafka),
                httpHost, httpPort, httpThreads, httpBodyDeadline, advertisedHost, dataDir, embeddedKafkaPort,
                embeddedControllerPort, partitions, eventRetentionMillis, adminPort, security);
    }

    /** The same settings on another HTTP port, for several instances in one JVM (tests). */
    public TallySettings withHttpPort(int port) {
        return new TallySettings(env, shared, httpHost, port, httpThreads, httpBodyDeadline, advertisedHost, dataDir,
                embeddedKafkaPort, embeddedControllerPort, partitions, eventRetentionMillis, adminPort, security);
    }

    public TopicNames topics() {
        return shared.topics();
    }

    public KafkaClients kafka() {
        return shared.kafka();
    }

    public String applicationServer() {
        return advertisedHost + ":" + httpPort;
    }

    public ProcessorSettings processor() {
        return ProcessorSettings.fromEnv(env, shared, applicationServer(), dataDir);
    }

    /**
     * An ingest instance needs no advertised host (nobody calls it back), so many run with the default; its
     * static member name in the replies inbox's group must still differ from every other instance's, or they
     * fence each other out: without {@code TALLY_ADVERTISED_HOST} it is named after this machine's host name.
     */
    public IngestSettings ingest() {
        String member = env.string("TALLY_ADVERTISED_HOST", "").isEmpty()
                ? GroupMember.localHostName() + ":" + httpPort : applicationServer();
        return IngestSettings.fromEnv(env, shared, member);
    }

    public LiveSettings live() {
        return LiveSettings.fromEnv(env, shared, applicationServer());
    }

    public QuerySettings query() {
        return QuerySettings.fromEnv(env, shared, applicationServer());
    }
}
