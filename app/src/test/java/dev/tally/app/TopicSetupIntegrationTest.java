package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.app.support.SharedKafka;
import dev.tally.config.Regions;
import dev.tally.config.SharedSettings;
import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Topic creation on a live broker, back to back: a topic the controller has just created can still be unknown to
 * the broker's metadata cache, and {@link TopicSetup#ensure} must wait that out rather than fail (CI saw it fail
 * with "This server does not host this topic-partition").
 */
@Tag("integration")
class TopicSetupIntegrationTest {

    @Test
    void shouldReturnOnlyWhenEveryPartitionOfEveryNewTopicHasALeader() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (int round = 0; round < 15; round++) {
                TopicNames topics = TopicNames.withPrefix("setup" + UUID.randomUUID().toString().substring(0, 8) + "-");
                TopicSetup.ensure(shared(bootstrap, topics), 6, 60_000L);

                List<String> names = List.of(topics.events(), topics.replies(), topics.changes(), topics.presence(), topics.deadLetters());
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
                assertThat(described).hasSize(5);
                described.values().forEach(topic -> assertThat(topic.partitions())
                        .hasSize(6)
                        .allSatisfy(partition -> assertThat(partition.leader()).isNotNull()));
            }
        }
    }

    private static SharedSettings shared(String bootstrap, TopicNames topics) {
        return new SharedSettings(KafkaClients.plain(bootstrap), topics, CounterCatalog.defaults(), (short) 1);
    }

    /**
     * MirrorMaker reuses a remote topic that exists and copies each record to the partition it had in its region; so
     * a peer's mirrored events must exist before the processor starts (Streams refuses a missing source topic), with
     * the partitions and settings of the region's own events.
     */
    @Test
    void shouldCreateEachPeersMirroredEventsAsTheRegionsOwnEvents() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.withPrefix("peers" + UUID.randomUUID().toString().substring(0, 8) + "-")
                .withPeerRegions(List.of("west", "north"));
        TopicSetup.ensure(new SharedSettings(KafkaClients.plain(bootstrap), topics, CounterCatalog.defaults(), (short) 1,
                new Regions("east", List.of("west", "north"))), 6, 60_000L);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> described = admin.describeTopics(topics.eventSources()).allTopicNames().get();
            assertThat(described.values()).hasSize(3).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(6));
            Map<String, String> own = settings(admin, topics.events());
            assertThat(own).containsEntry("retention.ms", "60000").containsEntry("compression.type", "lz4");
            for (String mirrored : topics.mirroredEvents()) {
                assertThat(settings(admin, mirrored)).as(mirrored).isEqualTo(own);
            }
        }
    }

    /** The topic's settings that were set on it, not the broker's defaults. */
    private static Map<String, String> settings(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).entries().stream()
                .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
    }

    @Test
    void shouldLeaveExistingTopicsAsTheyAre() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        TopicNames topics = TopicNames.withPrefix("again" + UUID.randomUUID().toString().substring(0, 8) + "-");
        TopicSetup.ensure(shared(bootstrap, topics), 4, 60_000L);
        TopicSetup.ensure(shared(bootstrap, topics), 8, 60_000L);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.describeTopics(List.of(topics.events())).allTopicNames().get()
                    .get(topics.events()).partitions()).hasSize(4);
        }
    }
}
