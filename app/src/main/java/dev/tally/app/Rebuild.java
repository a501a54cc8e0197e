package dev.tally.app;

import dev.tally.processor.ProcessorRuntime;
import dev.tally.processor.ProcessorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.tools.StreamsResetter;

/**
 * Recounts every counter from the event topics (this region's and each peer's mirrored one): resets the
 * processor's offsets to the start of the topics (and to the end of the like-totals topic, which the replay fills
 * again) and deletes its internal topics (what Kafka's application-reset tool does), wipes local state, then runs
 * the processor until it has caught up with the end of all of them, printing progress. The processors must be
 * stopped.
 */
final class Rebuild {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final ProcessorSettings settings;
    private final PrintStream out;

    Rebuild(ProcessorSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    int run() {
        out.println("rebuild: resetting " + settings.applicationId() + " to the start of " + String.join(", ", settings.topics().eventSources()));
        int reset = new StreamsResetter().execute(resetArguments());
        if (reset != 0) {
            out.println("rebuild: the reset failed (exit " + reset + "); are processors still running? Stop them; after a"
                    + " crash, wait for the session timeout (TALLY_SESSION_TIMEOUT_MS) and retry");
            return reset;
        }
        try (Admin admin = Admin.create(settings.kafka().properties());
             ProcessorRuntime processor = new ProcessorRuntime(settings)) {
            processor.streams().cleanUp();
            List<String> events = settings.topics().eventSources();
            List<String> both = new ArrayList<>(events);
            both.add(settings.topics().likeTotals());
            Map<TopicPartition, Long> ends = endOffsets(admin, events);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            out.println("rebuild: replaying " + total + " records");
            processor.start();
            long started = System.nanoTime();
            while (true) {
                long done = committed(admin, ends.keySet());
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("rebuild: %,d / %,d records (%.0f%%), %.0f records/s%n", done, total,
                        total == 0 ? 100.0 : 100.0 * done / total, seconds == 0 ? 0 : done / seconds);
                // The replay appends like totals, and events that arrived on another partition than their own:
                // done once the processor has committed up to the end of both.
                if (done >= total && processor.isRunning() && caughtUp(admin, both)) {
                    out.println("rebuild: done");
                    return 0;
                }
                if (processor.state() == KafkaStreams.State.ERROR) {
                    out.println("rebuild: the processor failed; see the log");
                    return 1;
                }
                Thread.sleep(PROGRESS_EVERY.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (ExecutionException e) {
            out.println("rebuild: " + e.getCause().getMessage());
            return 1;
        }
    }

    private String[] resetArguments() {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-server", settings.kafka().bootstrapServers(),
                "--application-id", settings.applicationId(),
                "--input-topics", String.join(",", settings.topics().eventSources()),
                // Derived from the events, like a repartition topic: skipped to its end, since the replay sends
                // every like total again.
                "--intermediate-topics", settings.topics().likeTotals(),
                // No --force: that would evict running processors from the group and delete their changelogs
                // under them. Without it the reset refuses while the group has members.
                "--to-earliest"));
        if (!settings.kafka().extra().isEmpty()) {
            args.addAll(List.of("--command-config", clientConfigFile().toString()));
        }
        return args.toArray(String[]::new);
    }

    /** The reset tool takes extra client settings (SASL, TLS) only from a file. */
    private Path clientConfigFile() {
        try {
            Path file = Files.createTempFile("tally-rebuild", ".properties");
            file.toFile().deleteOnExit();
            Properties props = new Properties();
            props.putAll(settings.kafka().extra());
            try (Writer writer = Files.newBufferedWriter(file)) {
                props.store(writer, "extra Kafka client settings for the reset tool");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reset tool's client settings", e);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        return admin.listOffsets(request).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((ListOffsetsResult.ListOffsetsResultInfo) e.getValue()).offset()));
    }

    /** Whether the processor has committed every record of {@code topics}, as they end now. */
    private boolean caughtUp(Admin admin, List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = endOffsets(admin, topics);
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(settings.applicationId())
                .partitionsToOffsetAndMetadata().get();
        return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                || offsets.get(end.getKey()) != null && offsets.get(end.getKey()).offset() >= end.getValue());
    }

    /** Records the processor has committed, summed over the event topic's partitions. */
    private long committed(Admin admin, Set<TopicPartition> partitions) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(settings.applicationId())
                .partitionsToOffsetAndMetadata().get();
        return partitions.stream().map(offsets::get).filter(java.util.Objects::nonNull)
                .mapToLong(OffsetAndMetadata::offset).sum();
    }
}
