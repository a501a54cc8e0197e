package dev.tally.processor;

import dev.tally.config.Env;
import dev.tally.config.GroupMember;
import dev.tally.config.SharedSettings;
import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the stream processor is configured with, read once from the environment.
 *
 * @param applicationServer this instance's host:port as other instances reach its query API
 * @param idempotencyWindow how long an Idempotency-Key is remembered
 * @param maxEventSkew      how far an event's timestamp may be from its record's timestamp, and ahead of this
 *                          processor's clock, before the event is refused (see {@link EventTimeBound})
 * @param commitInterval    how often state and outputs are committed; bounds how stale a read can be
 * @param sessionTimeout    how long the group waits for a processor that stopped answering before its partitions
 *                          move to another instance (or to the same one, restarted)
 * @param watcherExpiry     an instance whose presence reports for a post stopped this long ago is sent no more of
 *                          its changes (the live API's instance expiry, {@code TALLY_LIVE_INSTANCE_EXPIRY_MS})
 * @param instanceId        this instance's static group membership ({@code group.instance.id}): a processor
 *                          restarted with the same id takes its partitions back at once instead of waiting out the
 *                          session timeout of its dead self; stable across restarts by default (derived from the
 *                          advertised host and port)
 * @param transactionalStores Kafka's {@code enable.transactional.statestores} (KIP-892): stores that commit with the
 *                          changelog transaction, meant to spare a crashed instance the wipe and full restore of
 *                          every store. Off by default: in Kafka 4.4 a restarted instance still wipes them, since
 *                          the start-up path ({@code StateDirectory.initializeStartupStores}) builds its state
 *                          managers with transactional stores off (ProcessorRestartIntegrationTest shows the wipe)
 * @param region            this deployment's region ({@code TALLY_REGION}, default {@code local}); its peers, whose
 *                          events are mirrored here, are the topics' ({@link TopicNames#peerRegions()})
 */
public record ProcessorSettings(
        KafkaClients kafka,
        String applicationId,
        Path stateDir,
        TopicNames topics,
        CounterCatalog counters,
        String applicationServer,
        Duration idempotencyWindow,
        Duration maxEventSkew,
        Duration commitInterval,
        int streamThreads,
        int standbyReplicas,
        int replicationFactor,
        long cacheMaxBytes,
        Duration sessionTimeout,
        Duration watcherExpiry,
        String instanceId,
        boolean transactionalStores,
        String region) {

    public ProcessorSettings {
        // The shared rules for region names: this region and its peers as the topics name them.
        new dev.tally.config.Regions(region, topics.peerRegions());
        if (maxEventSkew.isNegative() || maxEventSkew.compareTo(idempotencyWindow) >= 0) {
            // A skew as long as the window would let one event expire every key of its partition.
            throw new IllegalArgumentException("TALLY_MAX_EVENT_SKEW_MS must be from 0 to less than the idempotency window ("
                    + idempotencyWindow.toMillis() + " ms); got " + maxEventSkew.toMillis());
        }
    }

    public static ProcessorSettings fromEnv(Env env, SharedSettings shared, String applicationServer, Path dataDir) {
        return new ProcessorSettings(
                shared.kafka(),
                env.string("TALLY_APPLICATION_ID", "tally-processor"),
                Path.of(env.string("TALLY_STATE_DIR", dataDir.resolve("streams").toString())),
                shared.topics(),
                shared.counters(),
                applicationServer,
                env.millis("TALLY_IDEMPOTENCY_WINDOW_MS", Duration.ofHours(24)),
                env.millis("TALLY_MAX_EVENT_SKEW_MS", Duration.ofMinutes(5)),
                env.millis("TALLY_COMMIT_INTERVAL_MS", Duration.ofMillis(100)),
                env.integer("TALLY_STREAM_THREADS", 1),
                env.integer("TALLY_STANDBY_REPLICAS", 0),
                shared.replicationFactor(),
                env.longValue("TALLY_STATE_CACHE_BYTES", 16L * 1024 * 1024),
                env.millis("TALLY_SESSION_TIMEOUT_MS", Duration.ofSeconds(45)),
                env.millis("TALLY_LIVE_INSTANCE_EXPIRY_MS", Duration.ofSeconds(10)),
                GroupMember.fromEnv(env, applicationServer),
                Boolean.parseBoolean(env.string("TALLY_TRANSACTIONAL_STATE_STORES", "false")),
                // Read once for every service (SharedSettings), so the processor, setup and the mirror agree.
                shared.regions().home());
    }

    Regions regions() {
        return new Regions(region, topics);
    }

    public Properties toProperties() {
        Properties props = kafka.properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Integer.toString(replicationFactor));
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheMaxBytes));
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, CompactRocksDbConfig.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Kafka's partition assignor rebuilds a StreamsConfig from the main consumer's settings alone, and warns
        // that this is off unless the consumer carries it too.
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), "true");
        // A standby that is close enough may serve reads during a failover; "close enough" is one commit's worth.
        props.put(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG, "10000");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "2000");
        // A task reads three topics (events, like totals, presence) and counts nothing by their relative order, so
        // it need not wait for an empty one. With Kafka's default (0) every record of a task with an empty input
        // first formats log text about it (PartitionGroup.readyToProcess, String.format): a fifth of the stream
        // thread in the replay benchmark.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "-1");
        // Static membership: Streams appends the thread index, so each stream thread's consumer keeps its own id.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, Boolean.toString(transactionalStores));
        if (transactionalStores) {
            // Reads then see only what is committed, which a crash cannot take back: a reader never sees a count
            // that a crash undoes and the replay reaches again later (a count that goes down, then up).
            props.put(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_COMMITTED");
        }
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), Long.toString(sessionTimeout.toMillis()));
        // Heartbeats also carry rebalance news, so they stay at Kafka's 3 s unless the session is too short for it.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                Long.toString(Math.min(3000, sessionTimeout.toMillis() / 3)));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
        // Uncompressed from the stream thread; the topics compress on the broker (see CounterTopology).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        return props;
    }
}
