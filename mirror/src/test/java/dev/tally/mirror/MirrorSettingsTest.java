package dev.tally.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Env;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.apache.kafka.connect.mirror.MirrorMakerConfig;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.mirror.SourceAndTarget;
import org.junit.jupiter.api.Test;

/**
 * The MirrorMaker configuration tally derives from its environment, read back by MirrorMaker's own
 * {@link MirrorMakerConfig}: what its workers and connectors will really get, not only the keys tally wrote.
 */
class MirrorSettingsTest {

    private static final Map<String, String> EAST = Map.of(
            "TALLY_REGION", "east",
            "TALLY_PEER_REGIONS", "west,north",
            "TALLY_MIRROR_CLUSTERS", "east=e1:9092,e2:9092, west=w1:9092,north=n1:9092",
            "TALLY_TOPIC_PREFIX", "t1-",
            "TALLY_REPLICATION_FACTOR", "3");

    private static MirrorMakerConfig config(Map<String, String> env) {
        return new MirrorMakerConfig(MirrorSettings.fromEnv(new Env(env)).mirrorMakerConfig());
    }

    @Test
    void shouldReadEveryRegionsClusterWithSeveralServersEach() {
        MirrorSettings settings = MirrorSettings.fromEnv(new Env(EAST));
        assertThat(settings.clusters()).containsOnly(Map.entry("east", "e1:9092,e2:9092"), Map.entry("west", "w1:9092"),
                Map.entry("north", "n1:9092"));
        assertThat(settings.topic()).isEqualTo("t1-counter-events");
    }

    @Test
    void shouldCopyEachPeersEventsIntoThisRegionAndNothingElse() {
        MirrorMakerConfig config = config(EAST);
        assertThat(config.clusterPairs())
                .contains(new SourceAndTarget("west", "east"), new SourceAndTarget("north", "east"));
        Map<String, String> flows = MirrorSettings.fromEnv(new Env(EAST)).mirrorMakerConfig();
        assertThat(flows).containsEntry("west->east.enabled", "true").containsEntry("north->east.enabled", "true")
                .doesNotContainKeys("east->west.enabled", "east->north.enabled", "west->north.enabled");
        assertThat(flows.keySet()).filteredOn(key -> key.endsWith(".enabled") && key.contains("->")).hasSize(2);
        Map<String, String> source = config.connectorBaseConfig(new SourceAndTarget("west", "east"),
                MirrorSourceConnector.class);
        assertThat(source.get("topics")).isEqualTo("\\Qt1-counter-events\\E");
        assertThat("t1-counter-events").matches(source.get("topics"));
        assertThat("west.t1-counter-events").doesNotMatch(source.get("topics"));
        assertThat(source).containsEntry("source.cluster.bootstrap.servers", "w1:9092")
                .containsEntry("target.cluster.bootstrap.servers", "e1:9092,e2:9092")
                .containsEntry("replication.factor", "3")
                .containsEntry("sync.topic.acls.enabled", "false")
                .containsEntry("transforms", "dropReplyAddress")
                .containsEntry("transforms.dropReplyAddress.type", "org.apache.kafka.connect.transforms.DropHeaders")
                .containsEntry("transforms.dropReplyAddress.headers", "tally.reply.partition,tally.reply.instance");
    }

    /** KAFKA-NOTES: only cluster-prefixed keys reach the worker; a top-level key leaves exactly-once off. */
    @Test
    void shouldRunTheWorkerOfThisRegionExactlyOnceAndReadOnlyCommittedRecords() {
        MirrorMakerConfig config = config(EAST);
        Map<String, String> worker = config.workerConfig(new SourceAndTarget("west", "east"));
        assertThat(worker).containsEntry("exactly.once.source.support", "enabled")
                .containsEntry("bootstrap.servers", "e1:9092,e2:9092")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("config.storage.replication.factor", "3")
                .containsEntry("status.storage.replication.factor", "3")
                .containsEntry("plugin.discovery", "service_load");
        Map<String, String> source = config.connectorBaseConfig(new SourceAndTarget("west", "east"),
                MirrorSourceConnector.class);
        assertThat(source).containsEntry("source.consumer.isolation.level", "read_committed");
    }

    /** What MirrorMaker's herder checks before it starts a connector; a refused one copies nothing, silently. */
    @Test
    void shouldGiveEveryConnectorOfEveryFlowAConfigurationItAccepts() throws Exception {
        MirrorMakerConfig config = config(EAST);
        for (SourceAndTarget flow : List.of(new SourceAndTarget("west", "east"), new SourceAndTarget("north", "east"))) {
            for (Class<?> type : MirrorMaker.CONNECTOR_CLASSES) {
                Connector connector = (Connector) type.getDeclaredConstructor().newInstance();
                List<String> errors = connector.validate(config.connectorBaseConfig(flow, type)).configValues().stream()
                        .flatMap(value -> value.errorMessages().stream().map(error -> value.name() + ": " + error)).toList();
                assertThat(errors).as(type.getSimpleName() + " of " + flow).isEmpty();
            }
        }
    }

    @Test
    void shouldGiveEveryClusterTheOperatorsClientSettings() {
        Map<String, String> env = new HashMap<>(EAST);
        env.put("TALLY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");
        Map<String, String> config = MirrorSettings.fromEnv(new Env(env)).mirrorMakerConfig();
        assertThat(config).containsEntry("east.security.protocol", "SASL_SSL").containsEntry("west.security.protocol", "SASL_SSL")
                .containsEntry("north.security.protocol", "SASL_SSL");
    }

    @Test
    void shouldSayWhatIsWrongWithTheClusters() {
        assertThatThrownBy(() -> MirrorSettings.fromEnv(new Env(Map.of("TALLY_REGION", "east", "TALLY_PEER_REGIONS", "west"))))
                .hasMessageContaining("TALLY_MIRROR_CLUSTERS is not set");
        assertThatThrownBy(() -> MirrorSettings.fromEnv(new Env(Map.of("TALLY_REGION", "east", "TALLY_PEER_REGIONS", "west",
                "TALLY_MIRROR_CLUSTERS", "east=e:9092,south=s:9092"))))
                .hasMessageContaining("missing [west]").hasMessageContaining("not a region: [south]");
        assertThatThrownBy(() -> MirrorSettings.parseClusters("e:9092,west=w:9092")).hasMessageContaining("must start with a region name");
        assertThatThrownBy(() -> MirrorSettings.parseClusters("east=,west=w:9092")).hasMessage("TALLY_MIRROR_CLUSTERS: region east has no bootstrap servers");
        assertThatThrownBy(() -> MirrorSettings.parseClusters("east=e:1,east=e:2")).hasMessageContaining("region east is named twice");
        assertThatThrownBy(() -> MirrorSettings.fromEnv(new Env(Map.of("TALLY_MIRROR_CLUSTERS", "local=l:9092"))))
                .hasMessageContaining("TALLY_PEER_REGIONS is empty");
    }

    @Test
    void shouldRefuseALogFormatItDoesNotKnow() {
        assertThatThrownBy(() -> MirrorMain.applyLogFormat("xml")).hasMessageContaining("TALLY_LOG_FORMAT must be plain or json");
    }
}
