package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The region settings every service reads once (SharedSettings) reach the topology: a processor of east whose peers
 * are west and north reads their mirrored event topics through its one event source (what it does with them is
 * RegionsTopologyTest's).
 */
class MirroredEventsTopologyTest {

    @Test
    void shouldReadTheEventsOfEveryPeerRegionNamedInTheEnvironmentThroughTheOneEventSource() throws IOException {
        ProcessorSettings settings = settings();
        TopologyDescription.Source source = (TopologyDescription.Source) CounterTopology.build(settings, 12).describe()
                .subtopologies().stream().flatMap(sub -> sub.nodes().stream())
                .filter(node -> node.name().equals("events")).findFirst().orElseThrow();
        assertThat(source.topicSet()).containsExactlyInAnyOrder("counter-events", "west.counter-events", "north.counter-events");
        assertThat(settings.regions().sourceTopics()).isEqualTo(settings.topics().eventSources());
    }

    private static ProcessorSettings settings() throws IOException {
        Env env = new Env(Map.of("TALLY_REGION", "east", "TALLY_PEER_REGIONS", "west,north"));
        Path data = Files.createTempDirectory("tally-mirrored");
        return ProcessorSettings.fromEnv(env, SharedSettings.fromEnv(env, "unused:9092"), "localhost:8080", data);
    }
}
