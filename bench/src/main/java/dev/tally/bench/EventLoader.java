package dev.tally.bench;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.EventPlacement;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.JsonSerde;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends events straight to the event topic, exactly as ingest would (same JSON, key, timestamp and partition:
 * a like by post and user, see {@link EventPlacement}), without HTTP: the fast way to give tally a large state or a
 * backlog. Failing sends fail the load.
 */
final class EventLoader {

    private final String bootstrapServers;
    private final String topic;
    private final CounterCatalog counters;

    EventLoader(String bootstrapServers, String topic, CounterCatalog counters) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.counters = counters;
    }

    /** One view and one like (by a random user) on each of posts 1..posts: 2 counters and 1 like edge per post. */
    long loadPosts(int posts) {
        return load(2L * posts, (i, random) -> {
            long post = 1 + i / 2;
            return i % 2 == 0 ? event(post, "views", null)
                    : event(post, "likes", 1L + random.nextInt(Workloads.USERS));
        });
    }

    /** The write-uniform mix: likes and views over 1 M posts and 100 k users. */
    long loadUniform(long count) {
        return load(count, (i, random) -> random.nextBoolean()
                ? event(Workloads.post(random), "likes", 1L + random.nextInt(Workloads.USERS))
                : event(Workloads.post(random), "views", null));
    }

    private interface EventAt {
        CounterEvent at(long index, ThreadLocalRandom random);
    }

    private long load(long count, EventAt events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // One batch in flight per partition: on a starved machine the embedded broker answered retried batches with
        // OutOfOrderSequenceException until the load gave up (compare.sh, 1 M events, load average 30).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong sent = new AtomicLong();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (KafkaProducer<String, CounterEvent> producer = new KafkaProducer<>(props, new StringSerializer(),
                new JsonSerde<>(CounterEvent.class))) {
            int partitions = producer.partitionsFor(topic).size();
            for (long i = 0; i < count && failure.get() == null; i++) {
                CounterEvent event = events.at(i, random);
                // Placed by ingest's rule: a like that landed on its post's partition instead would be moved by the
                // processor (appended again and read twice), which ingest never makes it do.
                OptionalInt home = EventPlacement.partitionOf(event, counters.kindOf(event.counter()).orElseThrow(), partitions);
                producer.send(new ProducerRecord<>(topic, home.getAsInt(), event.timestamp().toEpochMilli(),
                                PostKeys.key(event.postId()), event),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            } else {
                                sent.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading events failed", failure.get());
        }
        return sent.get();
    }

    private static CounterEvent event(long post, String counter, Long user) {
        return new CounterEvent(UUID.randomUUID(), post, counter, Action.INCREMENT, user, null, Instant.now());
    }
}
