package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** With {@code TALLY_ADMIN_PORT}, metrics and health leave the public port for a port of their own. */
@Tag("integration")
class AdminPortIntegrationTest {

    @Test
    void shouldServeMetricsAndHealthOnlyOnTheAdminPortAndTimeThePublicRequests() {
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_ADMIN_PORT", "0"))) {
            TallyNode node = tally.start("admin", EnumSet.of(Role.INGEST));
            Http clients = new Http(node.port());
            Http platform = new Http(node.adminPort());
            assertThat(node.adminPort()).isNotEqualTo(node.port());

            int written = clients.put("/v1/1/views", "{\"action\":\"increment\"}").status();
            assertThat(written).isIn(200, 202);
            assertThat(clients.get("/metrics").status()).isEqualTo(404);
            assertThat(clients.get("/health/ready").status()).isEqualTo(404);
            assertThat(platform.get("/health/live").status()).isEqualTo(200);
            String scrape = platform.get("/metrics").body();
            // The timer measures the public server's requests, wherever it is scraped.
            assertThat(scrape).contains("http_server_requests_seconds_count{method=\"PUT\",status=\"" + written
                            + "\",uri=\"/v1/{post_id}/{counter}\"}")
                    .doesNotContain("uri=\"/metrics\"").doesNotContain("uri=\"/health/live\"");
            assertThat(platform.put("/v1/1/views", "{\"action\":\"increment\"}").status()).isEqualTo(404);
        }
    }
}
