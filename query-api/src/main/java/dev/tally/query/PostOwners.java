package dev.tally.query;

/** Says which instance holds a post's counts right now: {@link KeyLocator} asks Kafka Streams. */
public interface PostOwners {

    KeyLocator.Owner locate(long postId);
}
