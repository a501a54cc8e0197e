package dev.tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.http.HttpMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ServerTimesTest {

    private final HttpMetrics metrics = new HttpMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    private Timer timer(String status) {
        return Timer.builder(HttpMetrics.REQUESTS).tag("method", "GET").tag("uri", "/v1/{post_id}").tag("status", status)
                .publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(1)).register(metrics.registry());
    }

    @Test
    void shouldCountOnlyTheRequestsAfterTheMarkAcrossStatuses() {
        ServerTimes times = new ServerTimes(metrics.registry(), "GET /v1/{post_id}");
        timer("200").record(Duration.ofMillis(50)); // before the mark: not part of the window
        times.mark();
        for (int i = 0; i < 98; i++) {
            timer("200").record(Duration.ofNanos(400_000));
        }
        timer("503").record(Duration.ofMillis(30));
        timer("200").record(Duration.ofMillis(30));

        Histogram window = times.sinceMark();
        assertThat(window.getTotalCount()).isEqualTo(100);
        assertThat(window.getValueAtPercentile(50)).isBetween(400L, 1000L);
        assertThat(window.getValueAtPercentile(99.5)).isBetween(30_000L, 40_000L);
        assertThat(window.getMaxValue()).isLessThan(50_000L);
    }
}
