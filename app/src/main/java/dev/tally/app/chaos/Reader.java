package dev.tally.app.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One client reading every post from one processor over and over, recording every answer: its status by fault
 * kind, when each post last answered, and any post whose views went down between two of its reads (views only
 * grow, so a lower number is an older state: a monotonic-read violation).
 */
final class Reader implements Runnable {

    private static final Duration PACE = Duration.ofMillis(50);

    private final TallyInstance processor;
    private final FeedReads feed;
    private final ReadLog log;
    private final Timeline timeline;
    private final Deadlines deadlines;
    private final Map<Long, Long> highestViews = new HashMap<>();

    Reader(TallyInstance processor, FeedReads feed, ReadLog log, Timeline timeline, Deadlines deadlines) {
        this.processor = processor;
        this.feed = feed;
        this.log = log;
        this.timeline = timeline;
        this.deadlines = deadlines;
    }

    @Override
    public void run() {
        while (timeline.now() < deadlines.stopReading() && !Thread.currentThread().isInterrupted()) {
            for (int page = 0; page < feed.pageCount(); page++) {
                long sent = timeline.now();
                FeedReads.Page answer = feed.read(processor, page);
                log.answered(timeline.during(sent), answer.status(), answer.refusal());
                long at = timeline.now();
                answer.counts().forEach((post, counts) -> {
                    log.postAnswered(post, at);
                    long highest = highestViews.getOrDefault(post, 0L);
                    if (counts.views() < highest) {
                        log.regressed(new ReadLog.Regression(processor.name(), post, highest, counts.views(), at));
                    } else {
                        highestViews.put(post, counts.views());
                    }
                });
            }
            Deployment.pause(PACE);
        }
    }
}
