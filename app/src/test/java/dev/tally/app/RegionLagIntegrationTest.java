package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.Http;
import dev.tally.app.support.TallyFixture;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A processor of region east whose peer is west, on a real broker: what MirrorMaker would copy from west is written
 * straight to {@code west.<prefix>counter-events} (the mirror itself is MirrorIntegrationTest's), and the processor
 * counts it and reports, per peer, the age of the newest mirrored event and the events not read yet.
 */
@Tag("integration")
class RegionLagIntegrationTest {

    @Test
    void shouldCountAPeersMirroredEventsAndReportHowFarBehindThePeerTheRegionIs() throws Exception {
        try (TallyFixture tally = TallyFixture.create(Map.of("TALLY_REGION", "east", "TALLY_PEER_REGIONS", "west"))) {
            TallyNode node = tally.start("east");
            MeterRegistry meters = node.metrics().registry();
            assertThat(seconds(meters)).as("nothing has arrived from west").isNaN();
            String mirrored = tally.settings().topics().mirroredEvents("west");
            assertThat(mirrored).isEqualTo("west." + tally.settings().topics().events());

            try (KafkaProducer<String, CounterEvent> west = producer(tally.bootstrapServers())) {
                // In a transaction, as MirrorMaker writes: its commit marker, stamped now, is no event of the peer's.
                west.initTransactions();
                west.beginTransaction();
                Instant then = Instant.now().minus(Duration.ofSeconds(90));
                for (int i = 0; i < 50; i++) {
                    send(west, mirrored, 801 + i % 5, then);
                }
                west.commitTransaction();
                Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(seconds(meters)).isBetween(89.0, 180.0);
                    assertThat(views(node, 801)).isEqualTo(10);
                });
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(records(meters)).isZero());

                west.beginTransaction();
                send(west, mirrored, 806, Instant.now());
                west.commitTransaction();
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(seconds(meters)).isLessThan(30.0);
                    assertThat(views(node, 806)).isEqualTo(1);
                });
            }
            String scrape = new Http(node.port()).get("/metrics").body();
            assertThat(scrape).contains("tally_region_lag_seconds{region=\"west\"}").contains("tally_region_lag_records{region=\"west\"}");
        }
    }

    private static double seconds(MeterRegistry meters) {
        return meters.get(RegionLagWatch.LAG_SECONDS).tag("region", "west").gauge().value();
    }

    private static double records(MeterRegistry meters) {
        return meters.get(RegionLagWatch.LAG_RECORDS).tag("region", "west").gauge().value();
    }

    private static long views(TallyNode node, long postId) {
        Http.Answer answer = new Http(node.port()).get("/v1/" + postId + "/views");
        return answer.status() == 200 ? answer.json().get("count").asLong() : -1;
    }

    private static void send(KafkaProducer<String, CounterEvent> producer, String topic, long postId, Instant at) {
        CounterEvent view = new CounterEvent(UUID.randomUUID(), postId, "views", Action.INCREMENT, null, null, at);
        producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), PostKeys.key(postId), view));
    }

    private static KafkaProducer<String, CounterEvent> producer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "mirror-like-" + UUID.randomUUID());
        return new KafkaProducer<>(props, PostKeys.SERDE.serializer(), new JsonSerde<>(CounterEvent.class));
    }
}
