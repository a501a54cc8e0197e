package dev.tally.query;

/** Says which instance holds a post's counts right now: {@link KeyLocator} asks Kafka Streams. */
public interface PostOwners {

    KeyLocator.Owner locate(long postId);

    /**
     * Which instance holds one user's like of a post: the partition of the post and user ({@code EventPlacement}),
     * which is usually not the post's.
     */
    KeyLocator.Owner locateLike(long postId, long userId);
}
