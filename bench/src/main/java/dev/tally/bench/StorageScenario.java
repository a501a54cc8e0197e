package dev.tally.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Bytes on disk per counter and per like edge. Loads --events posts straight into the event topic, each with one
 * view and one like by a distinct (post, user) pair, so 2 counters and 1 like edge per post; waits until the
 * processor has counted them all, stops tally (which flushes RocksDB's memtables to SST files), then measures the
 * RocksDB directories of the counts and likers stores and their changelog topics' log segments, separately.
 */
final class StorageScenario {

    private final BenchOptions options;
    private final PrintStream out;

    StorageScenario(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Figures run() {
        if (options.url().isPresent()) {
            throw new IllegalArgumentException("storage measures files on disk: run it without --url");
        }
        int posts = options.events();
        try (LocalTally tally = LocalTally.start()) {
            String appId = tally.applicationId();
            out.printf("storage: loading %,d posts (%,d events) straight into Kafka%n", posts, 2L * posts);
            long started = System.nanoTime();
            long loaded = new EventLoader(tally.bootstrapServers(), tally.settings().topics().events(), tally.settings().shared().counters()).loadPosts(posts);
            try (ProcessorProgress progress = new ProcessorProgress(tally.bootstrapServers(), appId,
                    tally.settings().topics().events())) {
                long done = progress.awaitCaughtUp(1200);
                out.printf("storage: %,d events appended and counted in %.1f s%n", loaded, (done - started) / 1e9);
            }
            tally.stop();
            Path streams = tally.app().settings().processor().stateDir().resolve(appId);
            Path kafka = tally.dataDir().resolve("kafka");
            long counters = 2L * posts;
            long edges = posts;
            long countsDb = bytes(streams, path -> path.toString().contains("/rocksdb/counts/"));
            long countsSst = bytes(streams, path -> path.toString().contains("/rocksdb/counts/") && path.toString().endsWith(".sst"));
            long likersDb = bytes(streams, path -> path.toString().contains("/rocksdb/likers/"));
            long likersSst = bytes(streams, path -> path.toString().contains("/rocksdb/likers/") && path.toString().endsWith(".sst"));
            long countsLog = bytes(kafka, segmentOf(appId + "-counts-changelog-"));
            long likersLog = bytes(kafka, segmentOf(appId + "-likers-changelog-"));
            long eventsLog = bytes(kafka, segmentOf(tally.settings().topics().events() + "-"));
            Figures figures = new Figures()
                    .put("storage.posts", posts).put("storage.counters", counters).put("storage.like_edges", edges)
                    .put("storage.counts_rocksdb_bytes_per_counter", (double) countsDb / counters)
                    .put("storage.counts_sst_bytes_per_counter", (double) countsSst / counters)
                    .put("storage.counts_changelog_bytes_per_counter", (double) countsLog / counters)
                    .put("storage.likers_rocksdb_bytes_per_edge", (double) likersDb / edges)
                    .put("storage.likers_sst_bytes_per_edge", (double) likersSst / edges)
                    .put("storage.likers_changelog_bytes_per_edge", (double) likersLog / edges)
                    .put("storage.events_topic_bytes_per_event", (double) eventsLog / loaded);
            out.printf("storage: counts RocksDB %,d B (SST %,d B), changelog %,d B; likers RocksDB %,d B (SST %,d B), "
                    + "changelog %,d B; events topic %,d B%n", countsDb, countsSst, countsLog, likersDb, likersSst, likersLog, eventsLog);
            return figures;
        }
    }

    /** Kafka's data files of a topic's partitions; indexes are preallocated and excluded. */
    private static Predicate<Path> segmentOf(String partitionDirPrefix) {
        return path -> path.getParent() != null && path.getParent().getFileName().toString().startsWith(partitionDirPrefix)
                && path.getParent().getFileName().toString().substring(partitionDirPrefix.length()).matches("[0-9]+")
                && path.getFileName().toString().endsWith(".log");
    }

    private static long bytes(Path root, Predicate<Path> which) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).filter(which).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
