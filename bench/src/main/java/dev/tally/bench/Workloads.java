package dev.tally.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request mixes of the HTTP scenarios. Writes are half likes (a random user of {@value #USERS}) and half views;
 * uniform posts are drawn from {@value #POSTS}. write-hot sends the same mix to post 1, so that write-hot against
 * write-uniform isolates the key distribution. write-hot-likes is the viral post: every write a like of post 1 by a
 * user who has not liked it before, so none folds into another and each adds a liker to one key's set.
 */
final class Workloads {

    static final int POSTS = 1_000_000;
    static final int USERS = 100_000;
    static final int FEED_SIZE = 50;
    static final int BATCH_SIZE = 1_000;
    /** Mixed is ten reads to one write. */
    static final int READS_PER_WRITE = 10;

    private Workloads() {
    }

    static Workload of(String scenario, String base) {
        return switch (scenario) {
            case "write-uniform" -> new Workload(scenario, random -> write(base, post(random), random));
            case "write-hot" -> new Workload(scenario, random -> write(base, 1, random));
            case "write-hot-likes" -> {
                AtomicLong users = new AtomicLong();
                yield new Workload(scenario, random -> like(base, 1, users.incrementAndGet()));
            }
            case "write-async" -> new Workload(scenario, random -> write(base, post(random), random, true));
            case "write-batch" -> new Workload(scenario, random -> batch(base, random));
            // read-half: the same reads, sent at a fixed rate (compare.sh: half of what read reached), for the
            // server-side latency of a server that is busy but not saturated.
            case "read", "read-half" -> new Workload(scenario, random -> read(base, post(random)));
            case "mixed" -> new Workload(scenario, random -> random.nextInt(READS_PER_WRITE + 1) == 0
                    ? write(base, post(random), random) : read(base, post(random)));
            case "feed" -> new Workload(scenario, random -> feed(base, random));
            case "http-floor" -> new Workload(scenario, random -> Workload.Call.get(base + StaticEndpoint.PATH));
            default -> throw new IllegalArgumentException("no HTTP workload named " + scenario);
        };
    }

    static long post(ThreadLocalRandom random) {
        return 1 + random.nextInt(POSTS);
    }

    static Workload.Call write(String base, long post, ThreadLocalRandom random) {
        return write(base, post, random, false);
    }

    /** {@code async}: with {@code Prefer: respond-async}, answered once durable rather than once counted. */
    static Workload.Call write(String base, long post, ThreadLocalRandom random, boolean async) {
        boolean like = random.nextBoolean();
        String body = like
                ? "{\"action\":\"increment\",\"user_id\":" + (1 + random.nextInt(USERS)) + "}"
                : "{\"action\":\"increment\"}";
        return new Workload.Call("PUT", base + "/v1/" + post + (like ? "/likes" : "/views"), body, async, 1);
    }

    static Workload.Call like(String base, long post, long user) {
        return new Workload.Call("PUT", base + "/v1/" + post + "/likes",
                "{\"action\":\"increment\",\"user_id\":" + user + "}", false, 1);
    }

    static Workload.Call read(String base, long post) {
        return Workload.Call.get(base + "/v1/" + post + "/likes");
    }

    static Workload.Call feed(String base, ThreadLocalRandom random) {
        Set<Long> posts = new HashSet<>();
        StringJoiner ids = new StringJoiner(",");
        while (posts.size() < FEED_SIZE) {
            long post = post(random);
            if (posts.add(post)) {
                ids.add(Long.toString(post));
            }
        }
        return Workload.Call.get(base + "/v1/counters?post_ids=" + ids);
    }

    static Workload.Call batch(String base, ThreadLocalRandom random) {
        StringBuilder body = new StringBuilder(BATCH_SIZE * 80).append("{\"events\":[");
        for (int i = 0; i < BATCH_SIZE; i++) {
            if (i > 0) {
                body.append(',');
            }
            boolean like = random.nextBoolean();
            body.append("{\"post_id\":").append(post(random))
                    .append(",\"counter\":\"").append(like ? "likes" : "views").append("\",\"action\":\"increment\"");
            if (like) {
                body.append(",\"user_id\":").append(1 + random.nextInt(USERS));
            }
            body.append('}');
        }
        body.append("]}");
        return new Workload.Call("POST", base + "/v1/events", body.toString(), false, BATCH_SIZE);
    }
}
