package dev.tally.kafka;

import dev.tally.config.Env;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The one place every Kafka client of tally (producers, consumers, Kafka Streams, admin) takes its connection
 * settings from: the bootstrap servers, then the operator's extra client settings, so that SASL, TLS, mTLS or a
 * cloud provider's login module work without a code change.
 *
 * <p>Extra settings come from a properties file named by {@code TALLY_KAFKA_CONFIG} (the format of Kafka's own
 * {@code --command-config}), then from variables {@code TALLY_KAFKA_CLIENT_<NAME>}, where the name's underscores
 * become dots and it is lower-cased: {@code TALLY_KAFKA_CLIENT_SASL_MECHANISM=SCRAM-SHA-512} is
 * {@code sasl.mechanism}. A variable wins over the file. A service's own settings are applied after these: the
 * guarantees tally's exactness rests on (acks, idempotence, exactly-once, read_committed) are not the operator's to
 * loosen by accident.
 */
public record KafkaClients(String bootstrapServers, Map<String, String> extra) {

    public static final String CONFIG_FILE = "TALLY_KAFKA_CONFIG";
    public static final String VARIABLE_PREFIX = "TALLY_KAFKA_CLIENT_";

    public KafkaClients {
        extra = Map.copyOf(extra);
        if (extra.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("bootstrap.servers is KAFKA_BOOTSTRAP_SERVERS, not an extra client setting");
        }
    }

    /** Plain connections to the given servers, with no extra settings (tests, the embedded broker). */
    public static KafkaClients plain(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of());
    }

    public static KafkaClients fromEnv(Env env, String bootstrapServers) {
        Map<String, String> extra = new TreeMap<>();
        String file = env.string(CONFIG_FILE, null);
        if (file != null) {
            extra.putAll(readFile(Path.of(file)));
        }
        env.withPrefix(VARIABLE_PREFIX).forEach((name, value) ->
                extra.put(name.replace('_', '.').toLowerCase(Locale.ROOT), value));
        return new KafkaClients(bootstrapServers, extra);
    }

    /** A fresh set of properties for one client: bootstrap servers and extras; the caller adds its own. */
    public Properties properties() {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /**
     * A consumer that reads committed records only, from the end, and commits no offsets: what a reader of news
     * (replies, changes, presence) needs, which has no use for what was written while it was away.
     */
    public Properties latestCommittedReader(String clientId) {
        Properties props = properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        return props;
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(CONFIG_FILE + ": cannot read " + file, e);
        }
        Map<String, String> settings = new TreeMap<>();
        props.stringPropertyNames().forEach(name -> settings.put(name, props.getProperty(name).trim()));
        return settings;
    }
}
