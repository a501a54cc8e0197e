package dev.tally.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of a topic from its end, on a thread of its own, reading only committed records, and
 * hands each to a handler. No consumer group: every instance sees every record, which is what fan-out to local
 * waiters and subscribers needs. {@link #isReady()} once its position is fixed, so nothing published after that is
 * missed.
 */
public final class TopicTail<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    private final Consumer<String, V> consumer;
    private final String topic;
    private final java.util.function.Consumer<ConsumerRecord<String, V>> handler;
    private final Thread thread;
    private volatile boolean ready;
    private volatile boolean closed;

    /** Follows {@code topic} with {@code consumer}, which it owns and closes; not subscribed or assigned yet. */
    public TopicTail(Consumer<String, V> consumer, String topic, java.util.function.Consumer<ConsumerRecord<String, V>> handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.thread = new Thread(this::run, "tally-tail-" + topic);
        this.thread.setDaemon(true);
    }

    /** With a consumer of its own that reads committed records only and keeps no group offsets. */
    public static <V> TopicTail<V> following(KafkaClients kafka, String topic, Deserializer<V> deserializer,
                                             java.util.function.Consumer<ConsumerRecord<String, V>> handler) {
        Properties props = kafka.latestCommittedReader("tally-tail-" + topic + "-" + UUID.randomUUID());
        return new TopicTail<>(new KafkaConsumer<>(props, new StringDeserializer(), deserializer), topic, handler);
    }

    public TopicTail<V> start() {
        thread.start();
        return this;
    }

    public boolean isReady() {
        return ready;
    }

    /** The consumer, for a metrics binder: its {@code metrics()} may be read from any thread, nothing else. */
    public Consumer<String, V> client() {
        return consumer;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            ready = true;
            RecordLoop.run(consumer, () -> closed, handler);
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("tail of {} stopped", topic, e);
        } finally {
            ready = false;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (!closed) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            LOG.info("waiting for topic {} to exist", topic);
        }
        throw new WakeupException();
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
