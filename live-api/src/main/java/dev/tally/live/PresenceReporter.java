package dev.tally.live;

import dev.tally.runtime.Daemons;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.PresenceReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this instance's session counts to the presence topic: every post with sessions once per report
 * interval (so the gauge forgets this instance soon after it dies), and a changed post within
 * {@link #CHANGE_DELAY} of its change, several changes of that window in one report. A post that lost its last
 * session is reported once as 0, which withdraws it at once instead of at expiry. An instance that serves streams
 * adds the partition of the changes topic it reads ({@link #pushTo}), so the processor sends it the changes of the
 * posts it reports, and no others.
 */
public final class PresenceReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceReporter.class);
    static final Duration CHANGE_DELAY = Duration.ofMillis(20);

    private final LiveSettings settings;
    private final LocalSessions sessions;
    private final Clock clock;
    private final KafkaProducer<String, PresenceReport> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ScheduledExecutorService scheduler;
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean changeReportScheduled = new AtomicBoolean();
    private volatile IntSupplier pushPartition = () -> -1;

    public PresenceReporter(LiveSettings settings, LocalSessions sessions, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.sessions = sessions;
        this.clock = clock;
        this.producer = new KafkaProducer<>(settings.producerProperties(), PostKeys.SERDE.serializer(),
                new JsonSerde<>(PresenceReport.class));
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.scheduler = Daemons.scheduler("tally-presence-reporter");
    }

    public PresenceReporter start() {
        sessions.onChange(this::changed);
        long interval = settings.reportInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::reportAll, interval, interval, TimeUnit.MILLISECONDS);
        return this;
    }

    /** From now on, reports name the partition {@code partition} supplies (-1: none); reports every post now. */
    public void pushTo(IntSupplier partition) {
        this.pushPartition = partition;
        scheduler.execute(this::reportAll);
    }

    /** Reports every post with sessions now, as the next interval would. */
    public void reportAllNow() {
        scheduler.execute(this::reportAll);
    }

    private void changed(long postId) {
        changed.add(postId);
        if (changeReportScheduled.compareAndSet(false, true)) {
            scheduler.schedule(this::reportChanged, CHANGE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reportChanged() {
        changeReportScheduled.set(false);
        for (Long postId : changed) {
            changed.remove(postId);
            publish(postId, sessions.count(postId));
        }
    }

    private void reportAll() {
        try {
            Map<Long, Long> counts = sessions.sweep();
            counts.forEach(this::publish);
        } catch (RuntimeException e) {
            LOG.warn("presence report failed; the next one will repeat it", e);
        }
    }

    private void publish(long postId, long count) {
        int partition = pushPartition.getAsInt();
        PresenceReport report = new PresenceReport(settings.instanceId(), postId, count, clock.instant(),
                partition < 0 ? null : partition);
        producer.send(new ProducerRecord<>(settings.topics().presence(), PostKeys.key(report.postId()), report), (metadata, error) -> {
            if (error != null) {
                LOG.debug("presence report for post {} not sent; the next one replaces it", postId, error);
            }
        });
    }

    /** A clean stop: withdraws this instance from every post it reported, so its viewers stop counting now. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        sessions.sweep().keySet().forEach(postId -> publish(postId, 0));
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }

    /** Stops reporting without a word, as a killed process does: the readers expire this instance's reports. */
    public void halt() {
        scheduler.shutdownNow();
        producerMetrics.close();
        producer.close(Duration.ZERO);
    }
}
