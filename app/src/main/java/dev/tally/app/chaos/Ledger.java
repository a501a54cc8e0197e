package dev.tally.app.chaos;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every write the writers attempted, with how often it was sent and when it was acknowledged (200 or 202: appended
 * to the event topic with acks=all). The checker holds the final counts to it.
 */
final class Ledger {

    /**
     * One write as a client means it. Views have no user ({@code userId} 0); a like is {@code increment}, an unlike
     * {@code decrement}. Every copy of a write carries the same Idempotency-Key.
     */
    record Write(long postId, String counter, long userId, boolean increment, String key) {
        boolean isView() {
            return counter.equals("views");
        }
    }

    static final class Entry {
        private final Write write;
        private final long firstAttempt;
        private volatile int attempts;
        private volatile long ackedAt = -1;
        private volatile int lastStatus;

        Entry(Write write, long firstAttempt) {
            this.write = write;
            this.firstAttempt = firstAttempt;
        }

        Write write() {
            return write;
        }

        long firstAttempt() {
            return firstAttempt;
        }

        int attempts() {
            return attempts;
        }

        boolean acked() {
            return ackedAt >= 0;
        }

        long ackedAt() {
            return ackedAt;
        }

        int lastStatus() {
            return lastStatus;
        }

        void attempted(int status) {
            attempts++;
            lastStatus = status;
        }

        void ack(long at) {
            ackedAt = at;
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    Entry begin(Write write, long at) {
        Entry entry = new Entry(write, at);
        entries.add(entry);
        return entry;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }
}
