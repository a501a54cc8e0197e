package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import dev.tally.schemas.CounterKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class ProcessorSettingsTest {

    private static final Path DATA = Path.of("/var/lib/tally");

    @Test
    void shouldProcessExactlyOnce() {
        Properties props = settingsFrom(new Env(Map.of())).toProperties();
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        // The value must also be one Kafka Streams accepts, not just the string we expect.
        assertThat(new StreamsConfig(props).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldProcessBufferedRecordsWithoutWaitingForAnEmptyInputTopic() {
        Properties props = settingsFrom(new Env(Map.of())).toProperties();
        assertThat(new StreamsConfig(props).getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(-1L);
    }

    @Test
    void shouldUseTheDocumentedDefaults() {
        ProcessorSettings settings = settingsFrom(new Env(Map.of()));
        assertThat(settings.applicationId()).isEqualTo("tally-processor");
        assertThat(settings.stateDir()).isEqualTo(DATA.resolve("streams"));
        assertThat(settings.topics().events()).isEqualTo("counter-events");
        assertThat(settings.topics().replies()).isEqualTo("counter-replies");
        assertThat(settings.topics().changes()).isEqualTo("counter-changes");
        assertThat(settings.counters().kindOf("likes")).contains(CounterKind.PER_USER);
        assertThat(settings.counters().kindOf("views")).contains(CounterKind.MONOTONIC);
        assertThat(settings.idempotencyWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.maxEventSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.topics().deadLetters()).isEqualTo("counter-events-dlq");
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(100));

        Properties props = settings.toProperties();
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("tally-processor");
        assertThat(props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("kafka:9092");
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("node-1:8080");
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("100");
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(DATA.resolve("streams").toAbsolutePath().toString());
        assertThat(new StreamsConfig(props).getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
        assertThat(new StreamsConfig(props).getMainConsumerConfigs("g", "c", 0))
                .containsEntry("session.timeout.ms", "45000").containsEntry("heartbeat.interval.ms", "3000");
    }

    @Test
    void shouldTakeEverySettingFromTheEnvironment() {
        Env env = new Env(Map.ofEntries(
                Map.entry("TALLY_APPLICATION_ID", "blue"),
                Map.entry("TALLY_STATE_DIR", "/tmp/state"),
                Map.entry("TALLY_TOPIC_PREFIX", "eu-"),
                Map.entry("TALLY_COUNTERS", "likes:per-user,shares"),
                Map.entry("TALLY_IDEMPOTENCY_WINDOW_MS", "60000"),
                Map.entry("TALLY_MAX_EVENT_SKEW_MS", "20000"),
                Map.entry("TALLY_COMMIT_INTERVAL_MS", "1000"),
                Map.entry("TALLY_STREAM_THREADS", "4"),
                Map.entry("TALLY_STANDBY_REPLICAS", "1"),
                Map.entry("TALLY_REPLICATION_FACTOR", "3"),
                Map.entry("TALLY_STATE_CACHE_BYTES", "1024"),
                Map.entry("TALLY_SESSION_TIMEOUT_MS", "6000")));
        ProcessorSettings settings = settingsFrom(env);
        assertThat(settings.idempotencyWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.maxEventSkew()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.counters().names()).containsExactly("likes", "shares");

        StreamsConfig config = new StreamsConfig(settings.toProperties());
        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("blue");
        assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/tmp/state");
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(1000);
        assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(4);
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.getLong(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(1024);
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(config.getMainConsumerConfigs("g", "c", 0))
                .containsEntry("session.timeout.ms", "6000").containsEntry("heartbeat.interval.ms", "2000");
    }

    @Test
    void shouldJoinTheGroupAsAStaticMemberNamedAfterTheAdvertisedAddressSoARestartTakesItsPartitionsBack() {
        ProcessorSettings settings = settingsFrom(new Env(Map.of()));
        assertThat(settings.instanceId()).isEqualTo("tally-node-1-8080");
        assertThat(settingsFrom(new Env(Map.of())).instanceId()).as("the same after a restart").isEqualTo(settings.instanceId());
        StreamsConfig config = new StreamsConfig(settings.toProperties());
        // What Streams hands its first stream thread's consumer: the id, with the thread index Streams appends.
        assertThat(config.getMainConsumerConfigs("g", "c", 0)).containsEntry("group.instance.id", "tally-node-1-8080-0");
        // A valid group instance id: Kafka's own check, not our pattern.
        org.apache.kafka.common.requests.JoinGroupRequest.validateGroupInstanceId(settings.instanceId());

        ProcessorSettings named = settingsFrom(new Env(Map.of("TALLY_INSTANCE_ID", "processor-a")));
        assertThat(new StreamsConfig(named.toProperties()).getMainConsumerConfigs("g", "c", 1))
                .containsEntry("group.instance.id", "processor-a-1");
    }

    @Test
    void shouldLeaveTransactionalStateStoresOffUnlessAsked() {
        StreamsConfig config = new StreamsConfig(settingsFrom(new Env(Map.of())).toProperties());
        assertThat(config.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)).isFalse();
        StreamsConfig on = new StreamsConfig(settingsFrom(new Env(Map.of("TALLY_TRANSACTIONAL_STATE_STORES", "true")))
                .toProperties());
        assertThat(on.getBoolean(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG)).isTrue();
        assertThat(on.defaultInteractiveQueryIsolationLevel()).as("reads see only what a crash cannot undo")
                .isEqualTo(org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
        assertThat(config.defaultInteractiveQueryIsolationLevel()).isEqualTo(org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
    }

    @Test
    void shouldNameTheVariableOfAMalformedSetting() {
        assertThatThrownBy(() -> settingsFrom(new Env(Map.of("TALLY_IDEMPOTENCY_WINDOW_MS", "1d"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TALLY_IDEMPOTENCY_WINDOW_MS");
    }

    @Test
    void shouldRefuseAnEventSkewThatWouldLetOneEventExpireTheWholeWindow() {
        assertThatThrownBy(() -> settingsFrom(new Env(Map.of("TALLY_IDEMPOTENCY_WINDOW_MS", "60000",
                "TALLY_MAX_EVENT_SKEW_MS", "60000"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TALLY_MAX_EVENT_SKEW_MS");
    }

    @Test
    void shouldBuildATopologyThatReadsAndWritesThePrefixedTopics() {
        Env env = new Env(Map.of("TALLY_TOPIC_PREFIX", "eu-"));
        TopologyDescription description = CounterTopology.build(
                settingsFrom(env), 12).describe();
        String text = description.toString();
        assertThat(text).contains("topics: [eu-counter-events]").contains("topic: eu-counter-replies").contains("topic: eu-counter-changes")
                .contains("topic: eu-counter-events-dlq");
        assertThat(text).contains("counts").contains("likers").contains("idempotency-keys");
    }

    private static ProcessorSettings settingsFrom(Env env) {
        return ProcessorSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"), "node-1:8080", DATA);
    }
}
