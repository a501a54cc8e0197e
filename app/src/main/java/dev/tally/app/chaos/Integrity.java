package dev.tally.app.chaos;

import java.util.List;

/**
 * The checker's verdict on the final counts.
 *
 * @param lost            acknowledged writes missing from the counts (views below their acknowledged number, likes
 *                        below what the users' last acknowledged toggles give)
 * @param doubleCounted   counts above what was ever attempted: a write counted more than once
 * @param likedMismatches users whose {@code liked} does not match their last acknowledged toggle
 * @param converged       whether both processors answered the expected counts before the checker gave up
 */
public record Integrity(long writesAttempted, long writesAcked, long sends, long refused, long lost, long doubleCounted,
                 long likedChecked, long likedMismatches, boolean converged, long convergedAfter, List<String> examples) {

    public boolean exact() {
        return converged && lost == 0 && doubleCounted == 0 && likedMismatches == 0 && refused == 0;
    }
}
