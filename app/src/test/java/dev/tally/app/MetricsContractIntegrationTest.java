package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.app.support.EventStream;
import dev.tally.app.support.Http;
import dev.tally.app.support.MetricNames;
import dev.tally.app.support.TallyFixture;
import dev.tally.ingest.EventPublisher;
import dev.tally.ingest.IngestMeters;
import dev.tally.schemas.Json;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alert rules against a running tally: every metric that a panel or a rule
 * names must be one tally really exports, or the panel stays empty and the alert never fires. The expressions are
 * read from deploy/, and the node gets the traffic that makes each meter appear: writes (200 and a refused one), a
 * read, a stream and a viewer session.
 */
@Tag("integration")
class MetricsContractIntegrationTest {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void shouldExportEveryMetricTheDashboardAndTheAlertsName() throws IOException {
        Map<String, Set<String>> wanted = new TreeMap<>();
        dashboardExpressions().forEach(expr -> wanted.put("dashboard: " + expr, MetricNames.inExpression(expr)));
        alertExpressions().forEach(expr -> wanted.put("alert: " + expr, MetricNames.inExpression(expr)));
        assertThat(wanted.values()).as("expressions with metrics").allSatisfy(names -> assertThat(names).isNotEmpty());

        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_LIVE_REPORT_INTERVAL_MS", "300"))) {
            TallyNode node = tally.start("metrics");
            Http http = new Http(node.port());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/health/ready").status() == 200);
            assertThat(http.put("/v1/501/likes", "{\"action\":\"increment\",\"user_id\":1}").status()).isEqualTo(200);
            assertThat(http.put("/v1/501/views", "{\"action\":\"increment\"}").status()).isEqualTo(200);
            assertThat(http.put("/v1/501/likes", "{\"action\":\"sideways\"}").status()).isEqualTo(400);
            assertThat(http.put("/v1/501/live_users", "{\"action\":\"join\",\"user_id\":7}").status()).isEqualTo(200);
            assertThat(http.get("/v1/501").status()).isEqualTo(200);
            try (EventStream stream = EventStream.open(node.port(), "/v1/501/stream")) {
                assertThat(stream.status()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Set<String> exported = MetricNames.inScrape(http.get("/metrics").body());
                    Map<String, Set<String>> missing = new TreeMap<>();
                    wanted.forEach((expr, names) -> {
                        Set<String> absent = new TreeSet<>(names);
                        absent.removeAll(exported);
                        if (!absent.isEmpty()) {
                            missing.put(expr, absent);
                        }
                    });
                    assertThat(missing).as("metrics named in deploy/ but not exported").isEmpty();
                });
            }
            MeterRegistry meters = node.metrics().registry();
            assertThat(meters.get(IngestMeters.ANSWERS).tag("status", "200").counter().count()).isEqualTo(2);
            assertThat(meters.get(IngestMeters.REJECTED).tag("reason", "bad_request").counter().count()).isEqualTo(1);
            assertThat(meters.get(EventPublisher.ACCEPTED).counter().count()).isEqualTo(2);
        }
    }

    @Test
    void shouldReadMetricNamesOutOfPromQl() {
        assertThat(MetricNames.inExpression("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                + "{method=\"GET\", uri=~\"/v1/.*\"}[5m]))) > 0.05 and on (instance) up offset 5m"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "up");
        assertThat(MetricNames.inExpression("sum(rate(tally_events_rejected_total[$__rate_interval])) / ignoring(reason) max(x:y)"))
                .containsExactlyInAnyOrder("tally_events_rejected_total", "x:y");
        assertThat(MetricNames.inScrape("# TYPE a counter\na_total{b=\"c\"} 1.0\nd 2.0\n"))
                .containsExactlyInAnyOrder("a_total", "d");
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = Json.mapper().readTree(Files.readString(DEPLOY.resolve("grafana/dashboards/tally.json")));
        List<String> expressions = dashboard.get("panels").findValues("expr").stream().map(JsonNode::asText).toList();
        assertThat(expressions).as("panel expressions").hasSizeGreaterThanOrEqualTo(dashboard.get("panels").size());
        return expressions;
    }

    @SuppressWarnings("unchecked")
    private static List<String> alertExpressions() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/alerts.yml")));
        return ((List<Map<String, Object>>) rules.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .map(rule -> rule.get("expr").toString())
                .toList();
    }
}
