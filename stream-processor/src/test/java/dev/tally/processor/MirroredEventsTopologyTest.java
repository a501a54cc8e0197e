package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.StoreNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A region counts its peers' events, mirrored into {@code <peer>.counter-events}, as its own. */
class MirroredEventsTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void shouldReadTheEventsOfEveryPeerRegionThroughTheOneEventSource() throws IOException {
        ProcessorSettings settings = settings();
        TopologyDescription.Source source = (TopologyDescription.Source) CounterTopology.build(settings).describe()
                .subtopologies().stream().flatMap(sub -> sub.nodes().stream())
                .filter(node -> node.name().equals("events")).findFirst().orElseThrow();
        assertThat(source.topicSet()).containsExactlyInAnyOrder("counter-events", "west.counter-events", "north.counter-events");
    }

    @Test
    void shouldCountAViewMirroredFromAPeerWithTheRegionsOwn() throws IOException {
        ProcessorSettings settings = settings();
        try (TopologyTestDriver driver = new TopologyTestDriver(CounterTopology.build(settings), settings.toProperties(), NOW)) {
            for (String topic : settings.topics().eventSources()) {
                TestInputTopic<String, CounterEvent> input = driver.createInputTopic(topic, new StringSerializer(),
                        new JsonSerde<>(CounterEvent.class));
                input.pipeInput(PostKeys.key(7), new CounterEvent(UUID.randomUUID(), 7, "views", Action.INCREMENT, null, null, NOW), NOW);
            }
            KeyValueStore<CounterKey, CounterState> counts = driver.getKeyValueStore(StoreNames.COUNTS);
            assertThat(counts.get(new CounterKey(7, "views")).count()).isEqualTo(3);
        }
    }

    private static ProcessorSettings settings() throws IOException {
        Env env = new Env(Map.of("TALLY_REGION", "east", "TALLY_PEER_REGIONS", "west,north"));
        Path data = Files.createTempDirectory("tally-mirrored");
        return ProcessorSettings.fromEnv(env, SharedSettings.fromEnv(env, "unused:9092"), "localhost:8080", data);
    }
}
