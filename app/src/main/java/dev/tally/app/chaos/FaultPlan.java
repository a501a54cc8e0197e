package dev.tally.app.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order of faults a seed picks: every kind once, shuffled, then kinds drawn at random; and for faults of one of
 * several instances, which instance. The same seed gives the same plan.
 */
final class FaultPlan {

    private final Random random;
    private final List<FaultKind> firstRound;
    private int next;

    FaultPlan(long seed) {
        this.random = new Random(seed);
        List<FaultKind> kinds = new ArrayList<>(Arrays.asList(FaultKind.values()));
        Collections.shuffle(kinds, random);
        this.firstRound = List.copyOf(kinds);
    }

    FaultKind nextKind() {
        FaultKind kind = next < firstRound.size() ? firstRound.get(next) : FaultKind.values()[random.nextInt(FaultKind.values().length)];
        next++;
        return kind;
    }

    /** Whether every kind has been handed out once. */
    boolean coveredEveryKind() {
        return next >= firstRound.size();
    }

    int pick(int instances) {
        return random.nextInt(instances);
    }
}
