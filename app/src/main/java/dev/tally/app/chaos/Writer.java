package dev.tally.app.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One client writing likes, unlikes and views until the run stops, each write retried with the same
 * Idempotency-Key, against either ingest instance, until one acknowledges it: after a 5xx, a timeout or a refused
 * connection it tries the other instance. It asks for {@code Prefer: respond-async}: acknowledged means appended to
 * the event topic with acks=all (202), not yet counted, so an acknowledgement measures the write path alone. Its users are its own, and it toggles a user's like only after the last
 * toggle was acknowledged, so the last acknowledged action of each user is the state the counts must show.
 */
final class Writer implements Runnable {

    static final int USERS_PER_WRITER = 25;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final Duration PACE = Duration.ofMillis(20);

    private final int index;
    private final int posts;
    private final List<TallyInstance> ingests;
    private final ChaosHttp http;
    private final Ledger ledger;
    private final Timeline timeline;
    private final Deadlines deadlines;
    private final Random random;
    private final Map<Long, Boolean> liked = new HashMap<>();

    Writer(int index, int posts, List<TallyInstance> ingests, ChaosHttp http, Ledger ledger, Timeline timeline,
           Deadlines deadlines, long seed) {
        this.index = index;
        this.posts = posts;
        this.ingests = ingests;
        this.http = http;
        this.ledger = ledger;
        this.timeline = timeline;
        this.deadlines = deadlines;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        for (long seq = 0; timeline.now() < deadlines.stopWriting() && !Thread.currentThread().isInterrupted(); seq++) {
            long post = 1 + random.nextInt(posts);
            Ledger.Write write;
            if (random.nextInt(100) < 55) {
                write = new Ledger.Write(post, "views", 0, true, "v-" + index + "-" + seq);
            } else {
                long user = (long) index * USERS_PER_WRITER + 1 + random.nextInt(USERS_PER_WRITER);
                boolean likes = !liked.getOrDefault(post * 1_000_000 + user, false);
                write = new Ledger.Write(post, "likes", user, likes, "l-" + index + "-" + seq);
            }
            if (!send(ledger.begin(write, timeline.now()))) {
                // Unacknowledged for good: the user's state is now unknown, so this client stops here.
                return;
            }
            if (!write.isView()) {
                liked.put(post * 1_000_000 + write.userId(), write.increment());
            }
            Deployment.pause(PACE);
        }
    }

    private boolean send(Ledger.Entry entry) {
        Ledger.Write write = entry.write();
        String body = write.isView() ? "{\"action\":\"increment\"}"
                : "{\"action\":\"" + (write.increment() ? "increment" : "decrement") + "\",\"user_id\":" + write.userId() + "}";
        int target = random.nextInt(ingests.size());
        while (true) {
            TallyInstance ingest = ingests.get(target);
            ChaosHttp.Answer answer = http.put(ingest.base() + "/v1/" + write.postId() + "/" + write.counter(), body,
                    Map.of("Idempotency-Key", write.key(), "Prefer", "respond-async"), REQUEST_TIMEOUT);
            entry.attempted(answer.status());
            if (answer.ok()) {
                entry.ack(timeline.now());
                return true;
            }
            if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 408 && answer.status() != 429) {
                return false;
            }
            if (timeline.now() > deadlines.giveUp()) {
                return false;
            }
            target = (target + 1) % ingests.size();
            Deployment.pause(BACKOFF);
        }
    }
}
