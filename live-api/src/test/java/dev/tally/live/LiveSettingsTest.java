package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class LiveSettingsTest {

    @Test
    void shouldDefaultToA30SecondSessionTimeoutAndAtMostFiveEventsASecond() {
        LiveSettings settings = settingsFrom(new Env(Map.of()), "api-1:8080");

        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.instanceExpiry()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(settings.reportInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.streamMinGap()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.streamKeepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.topics().presence()).isEqualTo("presence");
    }

    @Test
    void shouldGiveEveryProcessRunItsOwnInstanceId() {
        Env env = new Env(Map.of("TALLY_TOPIC_PREFIX", "t1-"));
        LiveSettings one = settingsFrom(env, "api-1:8080");
        LiveSettings again = settingsFrom(env, "api-1:8080");

        assertThat(one.instanceId()).startsWith("api-1:8080/").isNotEqualTo(again.instanceId());
        assertThat(one.topics().presence()).isEqualTo("t1-presence");
    }

    @Test
    void shouldReadItsSettingsFromTheEnvironment() {
        LiveSettings settings = settingsFrom(new Env(Map.of(
                "TALLY_LIVE_SESSION_TIMEOUT_MS", "5000",
                "TALLY_STREAM_MAX_PER_CLIENT", "3")), "api-1:8080");

        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.streamMaxPerClient()).isEqualTo(3);
        assertThat(settings.producerProperties()).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
        assertThatThrownBy(() -> settingsFrom(new Env(Map.of("TALLY_STREAM_MAX_PER_CLIENT", "many")), "a:1"))
                .hasMessageContaining("TALLY_STREAM_MAX_PER_CLIENT");
    }

    private static LiveSettings settingsFrom(Env env, String applicationServer) {
        return LiveSettings.fromEnv(env, SharedSettings.fromEnv(env, "kafka:9092"), applicationServer);
    }
}
