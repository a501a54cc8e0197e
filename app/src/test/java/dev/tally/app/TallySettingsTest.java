package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TallySettingsTest {

    private static final Map<String, String> SECURED = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093",
            "TALLY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
            "TALLY_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
            // An operator's setting never loosens what exactness rests on.
            "TALLY_KAFKA_CLIENT_PROCESSING_GUARANTEE", "at_least_once",
            "TALLY_KAFKA_CLIENT_ACKS", "1");

    @Test
    void shouldHandTheExtraClientSettingsToEveryKafkaClient() {
        TallySettings settings = TallySettings.fromEnv(new Env(SECURED));

        for (Properties client : new Properties[] {settings.ingest().producerProperties(),
                settings.live().producerProperties(), settings.processor().toProperties(), settings.kafka().properties()}) {
            assertThat(client).containsEntry("bootstrap.servers", "kafka-1:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
        assertThat(settings.ingest().producerProperties()).containsEntry("acks", "all");
        assertThat(settings.processor().toProperties())
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void shouldGiveEveryServiceTheSameTopicsCountersAndReplicationFactor() {
        TallySettings settings = TallySettings.fromEnv(new Env(Map.of(
                "TALLY_TOPIC_PREFIX", "eu-", "TALLY_COUNTERS", "likes:per-user,shares", "TALLY_REPLICATION_FACTOR", "3")));

        assertThat(settings.ingest().topics()).isEqualTo(settings.topics());
        assertThat(settings.live().topics()).isEqualTo(settings.topics());
        assertThat(settings.processor().topics().events()).isEqualTo("eu-counter-events");
        assertThat(settings.ingest().counters()).isEqualTo(settings.processor().counters()).isEqualTo(settings.query().counters());
        assertThat(settings.processor().replicationFactor()).isEqualTo(3);
        assertThat(settings.kafkaBootstrapServers()).isEmpty();
        assertThat(settings.withBootstrapServers("127.0.0.1:9092").processor().toProperties())
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void shouldNameEveryInstanceInItsGroupsAsTheSameStaticMemberAfterARestartAndApartFromTheOthers() {
        TallySettings advertised = TallySettings.fromEnv(new Env(Map.of("TALLY_ADVERTISED_HOST", "node-1", "TALLY_HTTP_PORT", "8081")));
        assertThat(advertised.ingest().groupMember()).isEqualTo("tally-node-1-8081");
        assertThat(advertised.live().groupMember()).isEqualTo(advertised.processor().instanceId()).isEqualTo("tally-node-1-8081");

        // Ingest instances often run without an advertised host: named after the machine, then the port.
        TallySettings first = TallySettings.fromEnv(new Env(Map.of("TALLY_HTTP_PORT", "8081")));
        TallySettings second = TallySettings.fromEnv(new Env(Map.of("TALLY_HTTP_PORT", "8082")));
        assertThat(first.ingest().groupMember()).isNotEqualTo(second.ingest().groupMember())
                .isEqualTo(TallySettings.fromEnv(new Env(Map.of("TALLY_HTTP_PORT", "8081"))).ingest().groupMember())
                .endsWith("-8081");
        assertThat(TallySettings.fromEnv(new Env(Map.of("TALLY_INSTANCE_ID", "ingest-a"))).ingest().groupMember())
                .isEqualTo("ingest-a");
    }
}
