package dev.tally.app.chaos;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ledger says the counts must be. A post's views are at least its acknowledged views and at most its
 * attempted ones (equal when every write was acknowledged). A user likes a post if their last acknowledged toggle
 * was a like; when their last toggle was never acknowledged either state is possible, so a post's likes have a
 * lowest and a highest value.
 */
final class Expected {

    record Range(long low, long high) {
        boolean contains(long value) {
            return value >= low && value <= high;
        }
    }

    private final long[] viewsAcked;
    private final long[] viewsAttempted;
    private final long[] likesLow;
    private final long[] likesHigh;
    /** (post, user) to liked, for every user whose last toggle of the post was acknowledged. */
    private final Map<Long, Boolean> liked = new HashMap<>();

    Expected(List<Ledger.Entry> entries, int posts) {
        viewsAcked = new long[posts + 1];
        viewsAttempted = new long[posts + 1];
        likesLow = new long[posts + 1];
        likesHigh = new long[posts + 1];
        Map<Long, Boolean> lastAcked = new HashMap<>();
        Map<Long, Ledger.Entry> last = new HashMap<>();
        for (Ledger.Entry entry : entries) {
            Ledger.Write write = entry.write();
            int post = (int) write.postId();
            if (write.isView()) {
                viewsAttempted[post]++;
                viewsAcked[post] += entry.acked() ? 1 : 0;
                continue;
            }
            long pair = pair(write.postId(), write.userId());
            last.put(pair, entry);
            if (entry.acked()) {
                lastAcked.put(pair, write.increment());
            }
        }
        last.forEach((pair, entry) -> {
            int post = (int) (pair / 1_000_000);
            boolean before = lastAcked.getOrDefault(pair, false);
            if (entry.acked()) {
                liked.put(pair, entry.write().increment());
                likesLow[post] += entry.write().increment() ? 1 : 0;
                likesHigh[post] += entry.write().increment() ? 1 : 0;
            } else {
                // Either the unacknowledged toggle landed or it did not.
                boolean ifLanded = entry.write().increment();
                likesLow[post] += before && ifLanded ? 1 : 0;
                likesHigh[post] += before || ifLanded ? 1 : 0;
            }
        });
    }

    static long pair(long postId, long userId) {
        return postId * 1_000_000 + userId;
    }

    Range views(long postId) {
        return new Range(viewsAcked[(int) postId], viewsAttempted[(int) postId]);
    }

    Range likes(long postId) {
        return new Range(likesLow[(int) postId], likesHigh[(int) postId]);
    }

    Map<Long, Boolean> liked() {
        return Map.copyOf(liked);
    }
}
