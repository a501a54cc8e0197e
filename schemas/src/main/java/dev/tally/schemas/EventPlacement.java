package dev.tally.schemas;

import java.util.OptionalInt;

/**
 * Which partition of the event topic an event belongs on, which decides the stream task that applies it. Every
 * event is keyed by its post id, but a per-user counter's increments and decrements are placed by post and user
 * ({@link PostKeys#partition(long, long, int)}): one user's likes of a post are always applied by the same task,
 * which is what makes them exact, while a viral post's likes are spread over every partition. Everything else is
 * placed by post ({@link PostKeys#partition(long, int)}), with the post's counts. A reset of a per-user counter
 * belongs on every partition, since every partition holds some of the post's likers.
 */
public final class EventPlacement {

    private EventPlacement() {
    }

    /** The one partition {@code event} belongs on, or empty when it belongs on every partition. */
    public static OptionalInt partitionOf(CounterEvent event, CounterKind kind, int partitions) {
        if (kind != CounterKind.PER_USER) {
            return OptionalInt.of(PostKeys.partition(event.postId(), partitions));
        }
        if (event.action() == Action.RESET) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(PostKeys.partition(event.postId(), event.userId(), partitions));
    }
}
