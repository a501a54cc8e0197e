package dev.tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

    @Test
    void shouldGiveUpOnAnAppendAfterTheWriteTimeoutRatherThanKafkasTwoMinutes() {
        Env env = new Env(Map.of("TALLY_WRITE_TIMEOUT_MS", "3000", "TALLY_PRODUCER_LINGER_MS", "5"));
        IngestSettings settings = IngestSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"));

        assertThat(settings.producerProperties())
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000")
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2995")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }

    @Test
    void shouldKeepADeliveryTimeoutLongEnoughForTheLinger() {
        Env env = new Env(Map.of("TALLY_WRITE_TIMEOUT_MS", "100", "TALLY_PRODUCER_LINGER_MS", "50"));
        IngestSettings settings = IngestSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"));

        assertThat(settings.producerProperties()).containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "1050");
    }
}
