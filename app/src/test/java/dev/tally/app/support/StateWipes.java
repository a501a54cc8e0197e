package dev.tally.app.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Listens, in this JVM, for Kafka Streams declaring a task's local state corrupted, after which it wipes the task
 * and restores every store from its changelog: a restart or a standby promotion should never need that.
 */
public final class StateWipes implements AutoCloseable {

    private static final String STREAMS_INTERNALS = "org.apache.kafka.streams.processor.internals";

    private final Logger logger = (Logger) LoggerFactory.getLogger(STREAMS_INTERNALS);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private StateWipes() {
        events.start();
        logger.addAppender(events);
    }

    public static StateWipes listen() {
        return new StateWipes();
    }

    /** The warnings that announced a wipe, as Kafka Streams worded them. */
    public List<String> seen() {
        synchronized (events.list) {
            return events.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains("corrupted") || message.contains("did not find checkpoint offsets"))
                    .toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(events);
        events.stop();
    }
}
