package dev.tally.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop {@link TopicTail} and {@link Inbox} share: every record to the handler, on the caller's thread,
 * until closed. A record the handler fails on is logged and skipped, since one bad record must not stop the
 * answers and pushes of every other.
 */
final class RecordLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private RecordLoop() {
    }

    static <V> void run(Consumer<String, V> consumer, BooleanSupplier closed,
                        java.util.function.Consumer<ConsumerRecord<String, V>> handler) {
        while (!closed.getAsBoolean()) {
            for (ConsumerRecord<String, V> record : consumer.poll(POLL)) {
                try {
                    handler.accept(record);
                } catch (RuntimeException e) {
                    LOG.warn("handler failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
                }
            }
        }
    }
}
