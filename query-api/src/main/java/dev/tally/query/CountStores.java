package dev.tally.query;

import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.LikeKey;
import java.util.Map;

/**
 * This instance's copy of the processor's stores, one partition at a time: {@link LocalStores} reads Kafka
 * Streams' state. {@code stale} allows reading a standby copy.
 */
public interface CountStores {

    /** The counter's state, or null if it was never counted. */
    CounterState count(int partition, CounterKey key, boolean stale);

    boolean likes(int partition, LikeKey key, boolean stale);

    /** What each region's events added to each counter of the post: region → counter → figure. */
    Map<String, Map<String, Long>> regions(int partition, long postId, boolean stale);
}
