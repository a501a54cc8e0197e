package dev.tally.app.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds the final counts to the ledger once the writers are done: waits until both processors answer counts the
 * ledger allows (the last events may still be in flight), then counts lost and double-counted writes and checks
 * every user's {@code liked} against their last acknowledged toggle.
 */
final class Checker {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final int EXAMPLES = 10;

    private final Ledger ledger;
    private final List<TallyInstance> processors;
    private final FeedReads feed;
    private final ChaosHttp http;
    private final Timeline timeline;
    private final int posts;

    Checker(Ledger ledger, List<TallyInstance> processors, FeedReads feed, ChaosHttp http, Timeline timeline, int posts) {
        this.ledger = ledger;
        this.processors = processors;
        this.feed = feed;
        this.http = http;
        this.timeline = timeline;
        this.posts = posts;
    }

    Integrity check(Duration timeout) {
        List<Ledger.Entry> entries = ledger.entries();
        Expected expected = new Expected(entries, posts);
        long start = timeline.now();
        long deadline = start + timeout.toMillis();
        Map<Long, FeedReads.Counts> last = Map.of();
        boolean converged = false;
        while (timeline.now() < deadline && !converged) {
            converged = true;
            for (TallyInstance processor : processors) {
                Optional<Map<Long, FeedReads.Counts>> counts = feed.readAll(processor);
                if (counts.isEmpty()) {
                    converged = false;
                    continue;
                }
                last = counts.get();
                converged &= mismatches(expected, last, new ArrayList<>()) == 0;
            }
            if (!converged) {
                Deployment.pause(POLL);
            }
        }
        long convergedAfter = converged ? timeline.now() - start : -1;
        List<String> examples = new ArrayList<>();
        long lost = 0;
        long doubled = 0;
        for (long post = 1; post <= posts; post++) {
            FeedReads.Counts counts = last.getOrDefault(post, new FeedReads.Counts(0, 0));
            Expected.Range views = expected.views(post);
            Expected.Range likes = expected.likes(post);
            lost += Math.max(0, views.low() - counts.views()) + Math.max(0, likes.low() - counts.likes());
            doubled += Math.max(0, counts.views() - views.high()) + Math.max(0, counts.likes() - likes.high());
        }
        mismatches(expected, last, examples);
        long[] liked = checkLiked(expected, examples);
        long refused = entries.stream().filter(entry -> !entry.acked() && entry.lastStatus() >= 400 && entry.lastStatus() < 500)
                .count();
        return new Integrity(entries.size(), entries.stream().filter(Ledger.Entry::acked).count(),
                entries.stream().mapToLong(Ledger.Entry::attempts).sum(), refused, lost, doubled, liked[0], liked[1],
                converged, convergedAfter, examples.subList(0, Math.min(EXAMPLES, examples.size())));
    }

    private long mismatches(Expected expected, Map<Long, FeedReads.Counts> counts, List<String> examples) {
        long wrong = 0;
        for (long post = 1; post <= posts; post++) {
            FeedReads.Counts actual = counts.getOrDefault(post, new FeedReads.Counts(0, 0));
            if (!expected.views(post).contains(actual.views()) || !expected.likes(post).contains(actual.likes())) {
                wrong++;
                examples.add("post " + post + ": views " + actual.views() + " (ledger " + expected.views(post) + "), likes "
                        + actual.likes() + " (ledger " + expected.likes(post) + ")");
            }
        }
        return wrong;
    }

    /** {@code [checked, mismatched]}, asking the processors in turn, four at a time. */
    private long[] checkLiked(Expected expected, List<String> examples) {
        AtomicLong checked = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
        try {
            pool.submit(() -> expected.liked().entrySet().parallelStream().forEach(pair -> {
                long post = pair.getKey() / 1_000_000;
                long user = pair.getKey() % 1_000_000;
                TallyInstance processor = processors.get((int) (checked.getAndIncrement() % processors.size()));
                Optional<Boolean> answer = liked(processor, post, user);
                if (answer.isEmpty() || answer.get() != pair.getValue()) {
                    wrong.incrementAndGet();
                    found.add("user " + user + " on post " + post + ": liked " + answer.map(String::valueOf).orElse("unanswered")
                            + ", last acknowledged " + (pair.getValue() ? "like" : "unlike"));
                }
            })).get();
        } catch (Exception e) {
            throw new IllegalStateException("checking liked failed", e);
        } finally {
            pool.shutdown();
        }
        examples.addAll(found);
        return new long[] {checked.get(), wrong.get()};
    }

    private Optional<Boolean> liked(TallyInstance processor, long post, long user) {
        for (int attempt = 0; attempt < 5; attempt++) {
            ChaosHttp.Answer answer = http.get(processor.base() + "/v1/" + post + "/likes?user_id=" + user, Duration.ofSeconds(5));
            if (answer.status() == 200) {
                try {
                    JsonNode json = Json.mapper().readTree(answer.body());
                    return Optional.of(json.get("liked").asBoolean());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            Deployment.pause(Duration.ofMillis(200));
        }
        return Optional.empty();
    }
}
