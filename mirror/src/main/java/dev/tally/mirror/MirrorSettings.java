package dev.tally.mirror;

import dev.tally.config.Env;
import dev.tally.config.Regions;
import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.ReplyHeaders;
import dev.tally.schemas.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What {@code ./tally mirror} runs: MirrorMaker 2 in dedicated mode, bringing every peer region's events home. One
 * mirror runs in each region and copies {@code counter-events} of each peer into this region's cluster as
 * {@code <peer>.counter-events} ({@link TopicNames#mirroredEvents(String)}); nothing else crosses. It consumes
 * remotely and produces locally, as MirrorMaker's operators advise: while the regions are cut apart its fetches
 * fail and retry, but its transactions, offsets and internal topics stay in its own region's cluster.
 *
 * <p>Read from the environment:
 * <ul>
 *   <li>{@code TALLY_REGION}, {@code TALLY_PEER_REGIONS}: this region and the regions it counts with, the same
 *       values its processors are given ({@link Regions});</li>
 *   <li>{@code TALLY_MIRROR_CLUSTERS}: the Kafka cluster of every one of those regions, as
 *       {@code east=host:9092,west=host-a:9092,host-b:9092}: a name and {@code =} start a region, servers without a
 *       name belong to the region before them (a host and port never contain {@code =});</li>
 *   <li>{@code TALLY_TOPIC_PREFIX}, {@code TALLY_REPLICATION_FACTOR}: as for every tally service (the replication
 *       factor is also that of MirrorMaker's own topics);</li>
 *   <li>{@code TALLY_KAFKA_CONFIG}, {@code TALLY_KAFKA_CLIENT_*}: extra client settings (SASL, TLS), given to the
 *       clients of every region's cluster alike.</li>
 * </ul>
 *
 * @param regions           this region and its peers
 * @param clusters          the bootstrap servers of each region, this one first
 * @param topics            the topic names, with the deployment's prefix
 * @param replicationFactor of MirrorMaker's internal topics (and of a remote topic it would create, though
 *                          {@code ./tally setup} creates those first)
 * @param clientSettings    extra Kafka client settings for every cluster
 */
public record MirrorSettings(Regions regions, Map<String, String> clusters, TopicNames topics, short replicationFactor,
                             Map<String, String> clientSettings) {

    public static final String CLUSTERS = "TALLY_MIRROR_CLUSTERS";
    /**
     * Short, so that a mirror notices new partitions and emits heartbeats within seconds; tally's one topic makes
     * the refreshes cheap.
     */
    static final int REFRESH_SECONDS = 5;
    static final int HEARTBEAT_SECONDS = 1;

    public MirrorSettings {
        clusters = Map.copyOf(clusters);
        clientSettings = Map.copyOf(clientSettings);
        if (regions.peers().isEmpty()) {
            throw new IllegalArgumentException("TALLY_PEER_REGIONS is empty: a mirror copies the events of peer regions"
                    + " into " + regions.home() + ", and there are none");
        }
        Set<String> missing = new TreeSet<>(regions.all());
        missing.removeAll(clusters.keySet());
        Set<String> unknown = new TreeSet<>(clusters.keySet());
        unknown.removeAll(regions.all());
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException(CLUSTERS + " must name the cluster of exactly the regions "
                    + regions.all() + " (TALLY_REGION and TALLY_PEER_REGIONS)"
                    + (missing.isEmpty() ? "" : "; missing " + missing) + (unknown.isEmpty() ? "" : "; not a region: " + unknown));
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("TALLY_REPLICATION_FACTOR must be at least 1; got " + replicationFactor);
        }
    }

    public static MirrorSettings fromEnv(Env env) {
        Regions regions = Regions.fromEnv(env);
        return new MirrorSettings(
                regions,
                parseClusters(env.string(CLUSTERS, "")),
                TopicNames.withPrefix(env.string("TALLY_TOPIC_PREFIX", "")).withPeerRegions(regions.peers()),
                (short) env.integer("TALLY_REPLICATION_FACTOR", 1),
                KafkaClients.fromEnv(env, "").extra());
    }

    /** {@code east=a:9092,west=b:9092,c:9092} → east: a:9092, west: b:9092,c:9092, in the order given. */
    static Map<String, String> parseClusters(String text) {
        Map<String, List<String>> servers = new LinkedHashMap<>();
        String region = null;
        for (String token : text.split(",")) {
            String entry = token.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals >= 0) {
                region = entry.substring(0, equals).trim();
                entry = entry.substring(equals + 1).trim();
                if (region.isEmpty() || servers.containsKey(region)) {
                    throw new IllegalArgumentException(CLUSTERS + ": " + (region.isEmpty() ? "a cluster without a region name"
                            : "region " + region + " is named twice") + " in '" + text + "'");
                }
                servers.put(region, new ArrayList<>());
            } else if (region == null) {
                throw new IllegalArgumentException(CLUSTERS + " must start with a region name, as in"
                        + " east=host:9092,west=host:9092; got '" + text + "'");
            }
            if (!entry.isEmpty()) {
                servers.get(region).add(entry);
            }
        }
        Map<String, String> clusters = new LinkedHashMap<>();
        servers.forEach((name, list) -> {
            if (list.isEmpty()) {
                throw new IllegalArgumentException(CLUSTERS + ": region " + name + " has no bootstrap servers");
            }
            clusters.put(name, String.join(",", list));
        });
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException(CLUSTERS + " is not set: give the Kafka cluster of every region, as in"
                    + " east=host:9092,west=host:9092");
        }
        return clusters;
    }

    /** The mirrored topic: this deployment's event topic, in each region. */
    public String topic() {
        return topics.events();
    }

    /**
     * The {@code MirrorMakerConfig} properties (what {@code connect-mirror-maker.sh} reads from its file): every
     * region a cluster, one flow {@code <peer>-><home>} per peer, exactly-once on. {@code ./tally mirror} runs it
     * for the target cluster {@link Regions#home()} alone.
     */
    public Map<String, String> mirrorMakerConfig() {
        Map<String, String> config = new TreeMap<>();
        String home = regions.home();
        config.put("clusters", String.join(",", regions.all()));
        for (String region : regions.all()) {
            config.put(region + ".bootstrap.servers", clusters.get(region));
            clientSettings.forEach((name, value) -> config.put(region + "." + name, value));
            // Cluster-prefixed on purpose: a top-level key is not copied into the worker's config, so exactly-once
            // would silently stay off, and a SIGKILL would copy a batch again (measured: 1,000 duplicates of 1,500).
            config.put(region + ".exactly.once.source.support", "enabled");
            // The source consumer must not copy records of transactions that a region's writer later aborts.
            config.put(region + ".consumer.isolation.level", "read_committed");
        }
        for (String peer : regions.peers()) {
            String flow = peer + "->" + home + ".";
            config.put(flow + "enabled", "true");
            // A waiting writer's reply address means nothing in another region: without it a mirrored event is
            // counted there like an async write, and causes no reply record. Keyed by the flow because MirrorMaker
            // passes a flow's keys to its connectors as they are, but drops top-level "transforms.*" keys.
            config.put(flow + "transforms", "dropReplyAddress");
            config.put(flow + "transforms.dropReplyAddress.type", "org.apache.kafka.connect.transforms.DropHeaders");
            config.put(flow + "transforms.dropReplyAddress.headers", ReplyHeaders.PARTITION + "," + ReplyHeaders.INSTANCE);
        }
        // Exactly this deployment's event topic: tally's other topics are regional (replies, changes, presence,
        // dead letters), and a remote topic (west.counter-events) never travels on, so events cross once.
        config.put("topics", Pattern.quote(topic()));
        // The naming TopicNames#mirroredEvents relies on, pinned rather than defaulted.
        config.put("replication.policy.class", "org.apache.kafka.connect.mirror.DefaultReplicationPolicy");
        config.put("replication.policy.separator", ".");
        for (String key : List.of("replication.factor", "checkpoints.topic.replication.factor",
                "heartbeats.topic.replication.factor", "offset-syncs.topic.replication.factor",
                "offset.storage.replication.factor", "status.storage.replication.factor",
                "config.storage.replication.factor")) {
            config.put(key, Short.toString(replicationFactor));
        }
        // tally's setup owns its topics' settings and ACLs in every region.
        config.put("sync.topic.acls.enabled", "false");
        config.put("sync.topic.configs.enabled", "false");
        // Consumer groups do not fail over between regions (each region's processor counts every region's events),
        // so no group is checkpointed. MirrorMaker refuses to configure its checkpoint connector with checkpoints or
        // offset syncs turned off, so they stay on with nothing to do, and the syncs stay in this region's cluster.
        config.put("groups.exclude", ".*");
        config.put("refresh.groups.enabled", "false");
        config.put("sync.group.offsets.enabled", "false");
        config.put("offset-syncs.topic.location", "target");
        // Every plugin MirrorMaker needs declares itself to the ServiceLoader: no scan of the class path at start
        // (seconds on a busy machine). Read from the top level by MirrorMakerConfig, from the cluster's keys by
        // the worker of that cluster.
        config.put("plugin.discovery", "service_load");
        config.put(home + ".plugin.discovery", "service_load");
        config.put("refresh.topics.interval.seconds", Integer.toString(REFRESH_SECONDS));
        config.put("emit.heartbeats.interval.seconds", Integer.toString(HEARTBEAT_SECONDS));
        return config;
    }
}
