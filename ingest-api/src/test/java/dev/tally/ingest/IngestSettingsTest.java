package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import dev.tally.kafka.Inbox;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

    @Test
    void shouldGiveUpOnAnAppendAfterTheWriteTimeoutRatherThanKafkasTwoMinutes() {
        Env env = new Env(Map.of("TALLY_WRITE_TIMEOUT_MS", "3000", "TALLY_PRODUCER_LINGER_MS", "5"));
        IngestSettings settings = IngestSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"), "ingest-1:8080");

        assertThat(settings.producerProperties())
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000")
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2995")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }

    @Test
    void shouldKeepADeliveryTimeoutLongEnoughForTheLinger() {
        Env env = new Env(Map.of("TALLY_WRITE_TIMEOUT_MS", "100", "TALLY_PRODUCER_LINGER_MS", "50"));
        IngestSettings settings = IngestSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"), "ingest-1:8080");

        assertThat(settings.producerProperties()).containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "1050");
    }

    @Test
    void shouldJoinTheRepliesInboxAsTheSameStaticMemberAfterARestart() {
        Env env = new Env(Map.of());
        IngestSettings settings = IngestSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"), "ingest-1:8080");

        assertThat(settings.groupMember()).isEqualTo("tally-ingest-1-8080");
        assertThat(Inbox.consumerProperties(settings.kafka(), settings.topics().replies(), settings.groupMember()))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "tally-ingest-1-8080");
        Env named = new Env(Map.of("TALLY_INSTANCE_ID", "ingest-a"));
        assertThat(IngestSettings.fromEnv(named, SharedSettings.fromEnv(named, "kafka:9092"), "ingest-1:8080").groupMember())
                .isEqualTo("ingest-a");
    }
}
