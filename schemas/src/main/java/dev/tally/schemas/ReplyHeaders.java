package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a record wants its answer, in its headers, each a UTF-8 string. An event that carries
 * {@value #PARTITION} is answered with one {@link CounterUpdate} on that partition of the replies topic
 * ({@link TopicNames#replies()}); an event without it is answered by nothing. {@value #INSTANCE} travels with the
 * reply, so an instance that owns the partition now, but did not send the event, ignores it. A change of a watched
 * post carries {@value #PUSH_PARTITION}, the partition of the changes topic its watcher reads.
 */
public final class ReplyHeaders {

    /** The partition of the replies topic to answer on, in decimal. */
    public static final String PARTITION = "tally.reply.partition";
    /** The ingest instance that waits for the answer (unique per process run). */
    public static final String INSTANCE = "tally.reply.instance";
    /** The partition of the changes topic a change goes to, in decimal. */
    public static final String PUSH_PARTITION = "tally.push.partition";
    /**
     * On an event the processor appended again because it arrived on a partition other than its own
     * ({@link EventPlacement}): the partition it was moved to, in decimal.
     */
    public static final String PLACED_PARTITION = "tally.placed.partition";

    private ReplyHeaders() {
    }

    /** The last value of a header as a partition number, empty when absent or not a non-negative int. */
    public static Optional<Integer> partition(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null || header.value().length == 0 || header.value().length > 10) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8));
            return partition < 0 ? Optional.empty() : Optional.of(partition);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
