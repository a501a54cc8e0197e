package dev.tally.query;

/**
 * Says which instance holds a post's counts right now, or a partition of the counts store: {@link KeyLocator}
 * asks Kafka Streams.
 */
public interface PostOwners {

    /** The owner of the partition that holds the post, as ingest places it. */
    KeyLocator.Owner locate(long postId);

    /**
     * Which instance holds one user's like of a post: the partition of the post and user ({@code EventPlacement}),
     * which is usually not the post's.
     */
    KeyLocator.Owner locateLike(long postId, long userId);

    /** The owner of one partition of the counts store's sub-topology. */
    KeyLocator.Owner ownerOf(int partition);
}
