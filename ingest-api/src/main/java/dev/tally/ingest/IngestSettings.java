package dev.tally.ingest;

import dev.tally.config.Env;
import dev.tally.config.GroupMember;
import dev.tally.config.SharedSettings;
import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.TopicNames;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The ingest API's settings.
 *
 * @param maxBodyBytes   a larger request body is refused with 413 before it is parsed
 * @param confirmTimeout how long a write waits to answer with its count before it answers 202
 * @param foldWindow     anonymous writes to one counter within this window become one event (zero: never folded)
 * @param writeTimeout   how long an append may wait for Kafka (brokers down, no leader) before the write fails with 503
 * @param groupMember    this instance in the replies inbox's consumer group ({@link GroupMember})
 */
public record IngestSettings(
        KafkaClients kafka,
        TopicNames topics,
        CounterCatalog counters,
        int maxBodyBytes,
        Duration confirmTimeout,
        int lingerMillis,
        Duration foldWindow,
        Duration writeTimeout,
        String groupMember) {

    /** @param applicationServer the host and port other instances reach this one at */
    public static IngestSettings fromEnv(Env env, SharedSettings shared, String applicationServer) {
        return new IngestSettings(
                shared.kafka(),
                shared.topics(),
                shared.counters(),
                env.integer("TALLY_MAX_BODY_BYTES", 1024),
                env.millis("TALLY_WRITE_CONFIRM_TIMEOUT_MS", Duration.ofSeconds(2)),
                env.integer("TALLY_PRODUCER_LINGER_MS", 5),
                env.millis("TALLY_FOLD_WINDOW_MS", Duration.ofMillis(5)),
                env.millis("TALLY_WRITE_TIMEOUT_MS", Duration.ofSeconds(10)),
                GroupMember.fromEnv(env, applicationServer));
    }

    /** Idempotent, acks=all: an acknowledged write survives a broker failure and a producer retry never doubles it. */
    public Properties producerProperties() {
        Properties props = kafka.properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMillis));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        // Kafka's default would hold a request for two minutes while the brokers are away; a client would rather
        // hear 503 and retry with its Idempotency-Key. A request must fit in the delivery timeout, with the linger.
        long deliveryMillis = Math.max(writeTimeout.toMillis(), lingerMillis + 1000L);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryMillis));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(30_000L, deliveryMillis - lingerMillis)));
        return props;
    }
}
