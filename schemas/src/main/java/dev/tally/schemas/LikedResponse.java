package dev.tally.schemas;

/**
 * The HTTP answer to whether one user is counted in a post's per-user counter: whether the user's last action on
 * it was a like. Kept apart from {@link CountResponse} because the two live on different partitions: a post's count
 * on the post's, a user's like on the post and user's ({@link EventPlacement}).
 */
public record LikedResponse(long postId, String counter, long userId, boolean liked) {
}
