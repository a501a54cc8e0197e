package dev.tally.live;

import dev.tally.config.Env;
import dev.tally.config.GroupMember;
import dev.tally.config.SharedSettings;
import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.TopicNames;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of live viewers and streams.
 *
 * @param instanceId         this process run on the presence topic: its address plus a random suffix
 * @param groupMember        this instance in the changes inbox's consumer group ({@link GroupMember})
 * @param reportInterval     how often every post with viewers here is reported again (changes go out at once)
 * @param sessionTimeout     a joined session not renewed (re-joined) within this stops counting
 * @param instanceExpiry     the reports of an instance that stopped reporting for this long stop counting
 * @param streamMaxPerClient open streams one client address may hold; more are refused with 429
 * @param streamMinGap       the least time between two events of one stream (200 ms: at most 5 events/s)
 * @param streamKeepAlive    how often an idle stream gets a comment line, which also finds clients that left
 * @param slowClientTimeout  a stream whose last event has not been written for this long is dropped
 */
public record LiveSettings(
        KafkaClients kafka,
        TopicNames topics,
        String instanceId,
        String groupMember,
        Duration reportInterval,
        Duration sessionTimeout,
        Duration instanceExpiry,
        int streamMaxPerClient,
        Duration streamMinGap,
        Duration streamKeepAlive,
        Duration slowClientTimeout) {

    public static LiveSettings fromEnv(Env env, SharedSettings shared, String applicationServer) {
        return new LiveSettings(
                shared.kafka(),
                shared.topics(),
                instanceId(applicationServer),
                GroupMember.fromEnv(env, applicationServer),
                env.millis("TALLY_LIVE_REPORT_INTERVAL_MS", Duration.ofSeconds(1)),
                env.millis("TALLY_LIVE_SESSION_TIMEOUT_MS", Duration.ofSeconds(30)),
                env.millis("TALLY_LIVE_INSTANCE_EXPIRY_MS", Duration.ofSeconds(10)),
                env.integer("TALLY_STREAM_MAX_PER_CLIENT", 32),
                env.millis("TALLY_STREAM_MIN_GAP_MS", Duration.ofMillis(200)),
                env.millis("TALLY_STREAM_KEEPALIVE_MS", Duration.ofSeconds(15)),
                env.millis("TALLY_STREAM_SLOW_CLIENT_MS", Duration.ofSeconds(10)));
    }

    /** The same settings for another instance at {@code applicationServer} (several in one JVM, in tests). */
    public LiveSettings withInstance(String applicationServer) {
        return new LiveSettings(kafka, topics, instanceId(applicationServer), GroupMember.defaultId(applicationServer),
                reportInterval, sessionTimeout,
                instanceExpiry, streamMaxPerClient, streamMinGap, streamKeepAlive, slowClientTimeout);
    }

    private static String instanceId(String applicationServer) {
        return applicationServer + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Reports are cheap to lose (the next one replaces them), so no idempotence and no acks=all wait. */
    public Properties producerProperties() {
        Properties props = kafka.properties();
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        return props;
    }
}
