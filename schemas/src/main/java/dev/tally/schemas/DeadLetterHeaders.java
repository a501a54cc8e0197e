package dev.tally.schemas;

/**
 * The headers of a record on the dead-letter topic ({@link TopicNames#deadLetters()}): why the processor refused
 * the event and where it came from, each a UTF-8 string. The record keeps the key, value, timestamp and headers it
 * was produced with, so a fixed event can be produced again as it was.
 */
public final class DeadLetterHeaders {

    /** Which rule the event broke, in one line: the message ingest would have answered a write with. */
    public static final String REASON = "tally.dlq.reason";
    /** The topic the event was read from. */
    public static final String TOPIC = "tally.dlq.topic";
    /** Its partition, in decimal. */
    public static final String PARTITION = "tally.dlq.partition";
    /** Its offset, in decimal. */
    public static final String OFFSET = "tally.dlq.offset";

    private DeadLetterHeaders() {
    }
}
