package dev.tally.schemas;

import java.time.Instant;

/**
 * What one tally instance says about one post on the presence topic (JSON, keyed by post id in decimal):
 * {@code {"instance_id":"10.0.0.7:8080/4f1c…","post_id":7,"sessions":3,"reported_at":"…","push_partition":4}}. Each report replaces
 * the previous report of the same instance for the same post; the live viewer gauge is the sum of the latest
 * reports of the instances still reporting.
 *
 * @param instanceId unique per process run, so a restarted instance never inherits the reports of its past life
 * @param sessions   viewer sessions open on that instance for the post right now; 0 withdraws its earlier reports
 * @param reportedAt the reporter's clock, for humans and logs; expiry uses the receiver's clock
 * @param pushPartition the partition of the changes topic on which the instance wants the post's changes (it
 *                   serves streams and owns that partition in its group), or null: the instance is sent none
 */
public record PresenceReport(String instanceId, long postId, long sessions, Instant reportedAt, Integer pushPartition) {

    public PresenceReport {
        if (instanceId == null || instanceId.isBlank()) {
            throw new IllegalArgumentException("instance_id is required");
        }
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must not be negative; got " + sessions);
        }
        if (pushPartition != null && pushPartition < 0) {
            throw new IllegalArgumentException("push_partition must not be negative; got " + pushPartition);
        }
    }
}
