package dev.tally.bench;

import dev.tally.app.EmbeddedKafka;
import dev.tally.app.TopicSetup;
import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import dev.tally.processor.ProcessorRuntime;
import dev.tally.processor.ProcessorSettings;
import dev.tally.runtime.Directories;
import dev.tally.schemas.TopicNames;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Target T2: events already in Kafka, counted by tally's topology and then by a plain groupByKey().count(), one
 * after the other on the same embedded broker, the same backlog and the same Streams settings. The rate is taken
 * from the first committed offset to the last, so start-up and the first rebalance, equal for both, are left out.
 */
final class ReplayScenario {

    private static final String PREFIX = "replay-";

    private final BenchOptions options;
    private final PrintStream out;

    ReplayScenario(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Figures run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("tally-replay");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TALLY_TOPIC_PREFIX", PREFIX);
        env.put("TALLY_APPLICATION_ID", "replay-tally");
        ProcessorSettings settings;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), LocalTally.freePort(), LocalTally.freePort())) {
            Env environment = new Env(env);
            SharedSettings shared = SharedSettings.fromEnv(environment, kafka.bootstrapServers());
            settings = ProcessorSettings.fromEnv(environment, shared, "127.0.0.1:1", dir);
            TopicNames topics = settings.topics();
            int partitions = environment.integer("TALLY_PARTITIONS", 12);
            TopicSetup.ensure(shared, partitions, -1L);
            out.printf("replay: appending %,d write-uniform events straight to %s%n", options.events(), topics.events());
            long events = new EventLoader(kafka.bootstrapServers(), topics.events(), settings.counters()).loadUniform(options.events());
            Rate tally;
            try (ProcessorRuntime runtime = new ProcessorRuntime(settings)) {
                tally = measure("tally topology", runtime.start().streams(), kafka, settings.applicationId(), topics);
            }
            KafkaStreams plain = PlainCount.create(settings, "replay-plain");
            try {
                plain.start();
                Rate baseline = measure("groupByKey().count()", plain, kafka, "replay-plain", topics);
                String note = String.format("%,d events, %d partitions, exactly_once_v2, commit %d ms, %d thread(s)",
                        events, partitions, settings.commitInterval().toMillis(), settings.streamThreads());
                return new Figures()
                        .row("replay.tally", tally.perSecond(), "events/s", null, note)
                        .row("replay.plain_count", baseline.perSecond(), "events/s", null, note)
                        .put("replay.tally_cpu_us_per_event", tally.cpuMicrosPerEvent())
                        .put("replay.plain_count_cpu_us_per_event", baseline.cpuMicrosPerEvent())
                        .put("replay.tally_stream_thread_cpu_us_per_event", tally.streamThreadMicrosPerEvent())
                        .put("replay.plain_count_stream_thread_cpu_us_per_event", baseline.streamThreadMicrosPerEvent());
            } finally {
                plain.close();
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /**
     * Events per second of wall-clock time, and the CPU time this whole process (stream thread, producer, embedded
     * broker) spent per event over the same span, and the part of it on the application's stream threads: on a
     * shared machine the CPU figures vary far less with the load of other processes than the first.
     */
    record Rate(double perSecond, double cpuMicrosPerEvent, double streamThreadMicrosPerEvent) {
    }

    /** CPU time of the stream threads of {@code applicationId} (named {@code <application id>-<uuid>-StreamThread-n}). */
    private static long streamThreadCpuNanos(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith(applicationId + "-")
                    && thread.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private Rate measure(String name, KafkaStreams streams, EmbeddedKafka kafka, String applicationId, TopicNames topics) {
        try (ProcessorProgress progress = new ProcessorProgress(kafka.bootstrapServers(), applicationId, topics.events())) {
            long end = progress.end();
            long firstAt = 0;
            long firstCpu = 0;
            long firstThreadCpu = 0;
            long firstCommitted = 0;
            long deadline = System.nanoTime() + 900_000_000_000L;
            while (true) {
                long committed = progress.committed();
                long now = System.nanoTime();
                if (firstAt == 0 && committed > 0) {
                    firstAt = now;
                    firstCpu = processCpuNanos();
                    firstThreadCpu = streamThreadCpuNanos(applicationId);
                    firstCommitted = committed;
                }
                if (committed >= end) {
                    double rate = (end - firstCommitted) / ((now - firstAt) / 1e9);
                    double cpu = (processCpuNanos() - firstCpu) / 1e3 / (end - firstCommitted);
                    double threadCpu = (streamThreadCpuNanos(applicationId) - firstThreadCpu) / 1e3 / (end - firstCommitted);
                    out.printf("replay: %s counted %,d events at %,.0f events/s, %.1f µs of process CPU per event,"
                            + " %.1f µs on its stream thread%n", name, end, rate, cpu, threadCpu);
                    return new Rate(rate, cpu, threadCpu);
                }
                if (streams.state() == KafkaStreams.State.ERROR || now > deadline) {
                    throw new IllegalStateException(name + " did not finish: " + streams.state());
                }
                if (firstAt != 0) {
                    out.printf("replay: %s %,d / %,d%n", name, committed, end);
                }
                Waits.sleep(firstAt == 0 ? 20 : 500);
            }
        }
    }
}
