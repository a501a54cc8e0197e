package dev.tally.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of a topic that this instance owns in a consumer group, read from their end on a thread of its
 * own (committed records only) and handed to a handler. Unlike a {@link TopicTail}, which reads everything, an
 * inbox reads only what was addressed to it: whoever wants this instance to hear something writes it to
 * {@link #address()}, the lowest partition the instance owns, which it learns from a header or a presence report.
 * When the assignment moves, {@link #onMove} listeners run on the inbox thread, so the instance can tell its
 * correspondents its new address; records already on their way to the old one reach the new owner, which must
 * recognise them as someone else's.
 */
public final class Inbox<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    private final Consumer<String, V> consumer;
    private final String topic;
    private final java.util.function.Consumer<ConsumerRecord<String, V>> handler;
    private final Thread thread;
    private final List<Runnable> moveListeners = new CopyOnWriteArrayList<>();
    private final Set<Integer> owned = new TreeSet<>();
    private volatile int address = -1;
    private volatile boolean joined;
    private volatile boolean closed;

    /** Reads {@code topic} with {@code consumer}, which it owns and closes; not subscribed yet. */
    public Inbox(Consumer<String, V> consumer, String topic, java.util.function.Consumer<ConsumerRecord<String, V>> handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.thread = new Thread(this::run, "tally-inbox-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * With a consumer of its own in the group {@code tally-inbox-<topic>}: committed records only, no offsets kept
     * (a record that arrived while nobody owned its partition was for someone who is gone), cooperative assignment
     * so that an instance joining moves as few addresses as possible.
     *
     * @param groupMember the instance's static member name ({@code group.instance.id}, see
     *                    {@link dev.tally.config.GroupMember}): restarted after a crash, it gets its partitions back
     *                    at once, and is ready, instead of after its dead self's session timeout (45 s)
     */
    public static <V> Inbox<V> of(KafkaClients kafka, String topic, String groupMember, Deserializer<V> deserializer,
                                  java.util.function.Consumer<ConsumerRecord<String, V>> handler) {
        return new Inbox<>(new KafkaConsumer<>(consumerProperties(kafka, topic, groupMember), new StringDeserializer(),
                deserializer), topic, handler);
    }

    /** The properties of an inbox's consumer: see {@link #of}. */
    public static Properties consumerProperties(KafkaClients kafka, String topic, String groupMember) {
        Properties props = kafka.latestCommittedReader("tally-inbox-" + topic + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupOf(topic));
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupMember);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return props;
    }

    /** The consumer group whose members share the partitions of {@code topic}. */
    public static String groupOf(String topic) {
        return "tally-inbox-" + topic;
    }

    public Inbox<V> start() {
        thread.start();
        return this;
    }

    /** Runs after every assignment that changed what this instance owns (on the inbox thread). */
    public Inbox<V> onMove(Runnable listener) {
        moveListeners.add(listener);
        return this;
    }

    /**
     * Once the group has given this instance a partition to be answered on. Joining is not enough: a cooperative
     * rebalance first assigns a new member nothing and hands it partitions in a second round, and an instance
     * ready in between would name no address and answer every waiting write 202. An instance beyond the topic's
     * partition count never becomes ready: run at most as many instances of a role as the topic has partitions.
     */
    public boolean isReady() {
        return joined && address >= 0;
    }

    /** The partition to write to for this instance to read it, or -1 while it owns none. */
    public int address() {
        return address;
    }

    /** The consumer, for a metrics binder: its {@code metrics()} may be read from any thread, nothing else. */
    public Consumer<String, V> client() {
        return consumer;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    moved(partitions, false);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    moved(partitions, false);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Positions fixed before the address is published, so nothing written to it is skipped.
                    partitions.forEach(consumer::position);
                    moved(partitions, true);
                    joined = true;
                }
            });
            RecordLoop.run(consumer, () -> closed, handler);
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("inbox on {} stopped", topic, e);
        } finally {
            joined = false;
            address = -1;
            // A static member stays in its group when it closes, unless told: one that stops on purpose leaves, so
            // that the others take its partitions at once (only one that crashed is waited for).
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    private void moved(Collection<TopicPartition> partitions, boolean assigned) {
        if (partitions.isEmpty()) {
            return;
        }
        int before = address;
        synchronized (owned) {
            partitions.forEach(partition -> {
                if (assigned) {
                    owned.add(partition.partition());
                } else {
                    owned.remove(partition.partition());
                }
            });
            address = owned.isEmpty() ? -1 : owned.iterator().next();
        }
        if (address != before) {
            for (Runnable listener : moveListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("inbox move listener failed", e);
                }
            }
        }
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
