package dev.tally.app.support;

import dev.tally.app.TallyNode;
import io.micrometer.core.instrument.search.Search;

/**
 * What a node's processor has restored from its changelogs, read from the node's own meters: a store partition
 * rebuilt from the first record of its changelog is a wiped task, which a restart on intact state or a standby
 * promotion must never need.
 */
public final class StoreRestores {

    private StoreRestores() {
    }

    /** Store partitions rebuilt from the start of their changelog since the node started. */
    public static long fromStart(TallyNode node) {
        return (long) Search.in(node.metrics().registry()).name("tally.processor.restores.from.start")
                .functionCounter().count();
    }

    /** Records the furthest-behind store partition on the node, active or standby, is behind its changelog. */
    public static long maxLag(TallyNode node) {
        return (long) Search.in(node.metrics().registry()).name("tally.processor.local.store.lag.max").gauge().value();
    }
}
