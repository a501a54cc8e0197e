package dev.tally.app.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the readers saw: answers by status for each fault kind (and outside faults), the longest time any post went
 * without an answer from either processor, and every read that went backwards.
 */
final class ReadLog {

    /** Answers of one kind of moment: 200, 503, no answer at all (dead or frozen process), anything else. */
    static final class Tally {
        long ok;
        long unavailable;
        long noAnswer;
        long other;

        /** A snapshot, so the report reads figures that readers no longer change. */
        Tally copy() {
            Tally copy = new Tally();
            copy.ok = ok;
            copy.unavailable = unavailable;
            copy.noAnswer = noAnswer;
            copy.other = other;
            return copy;
        }
    }

    /** A reader saw a post's views go down: a read older than one it had already seen. */
    record Regression(String reader, long postId, long seen, long now, long at) {
    }

    private final Map<FaultKind, Tally> duringFaults = new EnumMap<>(FaultKind.class);
    /** The statuses counted as "other", so the report says what they were (a 500 is a defect; a 504 a timeout). */
    private final Map<Integer, Long> otherStatuses = new TreeMap<>();
    /** Why reads were refused with 503, by fault kind (or none) and tally's message: where to look next. */
    private final Map<String, Long> unavailableReasons = new TreeMap<>();
    private final Tally outsideFaults = new Tally();
    private final long[] lastAnswered;
    private long longestGap;
    private long longestGapPost;
    private final List<Regression> regressions = new ArrayList<>();

    ReadLog(int posts, long start) {
        this.lastAnswered = new long[posts + 1];
        java.util.Arrays.fill(lastAnswered, start);
    }

    synchronized void answered(Optional<FaultKind> during, int status, String refusal) {
        Tally tally = during.map(kind -> duringFaults.computeIfAbsent(kind, k -> new Tally())).orElse(outsideFaults);
        if (status == 200) {
            tally.ok++;
        } else if (status == 503) {
            tally.unavailable++;
            unavailableReasons.merge(during.map(FaultKind::label).orElse("no fault") + ": " + refusal, 1L, Long::sum);
        } else if (status == ChaosHttp.NO_ANSWER) {
            tally.noAnswer++;
        } else {
            tally.other++;
            otherStatuses.merge(status, 1L, Long::sum);
        }
    }

    /** A sorted snapshot, for the report. */
    synchronized SortedMap<String, Long> unavailableReasons() {
        return new TreeMap<>(unavailableReasons);
    }

    /** A sorted snapshot, for the report. */
    synchronized SortedMap<Integer, Long> otherStatuses() {
        return new TreeMap<>(otherStatuses);
    }

    synchronized void postAnswered(long postId, long at) {
        noteGap(postId, at);
        lastAnswered[(int) postId] = Math.max(lastAnswered[(int) postId], at);
    }

    synchronized void regressed(Regression regression) {
        regressions.add(regression);
    }

    /** Closes the gaps of posts still without an answer at the end. */
    synchronized void finish(long at) {
        for (int post = 1; post < lastAnswered.length; post++) {
            noteGap(post, at);
        }
    }

    private void noteGap(long postId, long at) {
        long gap = at - lastAnswered[(int) postId];
        if (gap > longestGap) {
            longestGap = gap;
            longestGapPost = postId;
        }
    }

    synchronized Tally during(FaultKind kind) {
        return duringFaults.getOrDefault(kind, new Tally()).copy();
    }

    synchronized Tally outsideFaults() {
        return outsideFaults.copy();
    }

    synchronized long longestGap() {
        return longestGap;
    }

    synchronized long longestGapPost() {
        return longestGapPost;
    }

    synchronized List<Regression> regressions() {
        return List.copyOf(regressions);
    }
}
