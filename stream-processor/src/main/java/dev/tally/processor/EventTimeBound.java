package dev.tally.processor;

import dev.tally.schemas.RuleViolation;
import java.time.Duration;
import java.time.Instant;

/**
 * How far an event's timestamp may stray before the processor refuses it. The timestamp is the time the
 * idempotency window store files the event's key under, and that store drops every segment older than twice the
 * window behind the latest time ever filed: a single event dated 2099 would make it forget every key of its
 * partition, and refuse to remember new ones. So no event may carry a time ahead of now.
 *
 * <p>Neither time the processor sees is trustworthy on its own: a producer writes the event's timestamp, and also
 * the record's CreateTime. Two bounds, then. The event's time must be within {@code maxSkew} of its record's
 * timestamp, either way (ingest stamps both with one instant, so only a foreign producer breaks this), and at
 * most {@code maxSkew} ahead of this processor's clock, which no producer controls. Brokers of Kafka 4 also
 * refuse a CreateTime more than {@code message.timestamp.after.max.ms} (1 h by default) in the future, but a
 * topic may override that, so tally does not rely on it. The past is bounded by the record only, not by the
 * clock: a rebuild replays events of months ago, rightly. {@code LogAppendTime} on the topic would make the
 * broker the clock, but a topic copied to another cluster (MirrorMaker, a restore) would be stamped anew and
 * every event in it refused. An event refused here goes to the dead-letter topic like any other.
 */
record EventTimeBound(Duration maxSkew) {

    /** The event's time in epoch milliseconds, if it is within the bounds; a {@link RuleViolation} if not. */
    long check(Instant eventTime, long recordTimestamp, long clockMillis) {
        Instant record = Instant.ofEpochMilli(recordTimestamp);
        Instant latest = Instant.ofEpochMilli(Math.min(recordTimestamp, clockMillis)).plus(maxSkew);
        if (eventTime.isAfter(latest)) {
            throw new RuleViolation("timestamp " + eventTime + " is more than " + maxSkew.toMillis()
                    + " ms ahead of the record's timestamp " + record + " or the processor's clock "
                    + Instant.ofEpochMilli(clockMillis));
        }
        if (eventTime.isBefore(record.minus(maxSkew))) {
            throw new RuleViolation("timestamp " + eventTime + " is more than " + maxSkew.toMillis()
                    + " ms before the record's timestamp " + record);
        }
        return eventTime.toEpochMilli();
    }
}
