package dev.tally.query;

import dev.tally.http.ApiException;
import dev.tally.http.RequestFields;
import dev.tally.schemas.CounterKind;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The read side of tally's HTTP API.
 *
 * <ul>
 *   <li>{@code GET /v1/counters?post_ids=1,2,3}: every counter of up to {@value #MAX_FEED} posts, in request order</li>
 *   <li>{@code GET /v1/{post_id}[?regions=true]}: every counter of one post [and what each region added to each]</li>
 *   <li>{@code GET /v1/{post_id}/{counter}[?user_id=U]}: one counter, and whether U is counted in it</li>
 *   <li>{@code GET /v1/{post_id}/{counter}/users/{user_id}}: whether U is counted in a per-user counter</li>
 * </ul>
 */
public final class QueryRoutes {

    public static final int MAX_FEED = 100;

    private final CountService counts;

    public QueryRoutes(CountService counts) {
        this.counts = counts;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/v1/counters", this::feed);
        config.routes.get("/v1/{post_id}", this::post);
        config.routes.get("/v1/{post_id}/{counter}", this::counter);
        config.routes.get("/v1/{post_id}/{counter}/users/{user_id}", this::liked);
    }

    private void liked(Context ctx) {
        long postId = RequestFields.positiveId("post_id", ctx.pathParam("post_id"));
        String counter = ctx.pathParam("counter");
        if (RequestFields.counterKind(counts.counters(), counter) != CounterKind.PER_USER) {
            throw ApiException.badRequest(counter + " does not count users; only a per-user counter (likes) does");
        }
        long userId = RequestFields.positiveId("user_id", ctx.pathParam("user_id"));
        ctx.future(() -> counts.liked(postId, counter, userId, hop(ctx)).thenAccept(ctx::json));
    }

    private void counter(Context ctx) {
        long postId = RequestFields.positiveId("post_id", ctx.pathParam("post_id"));
        String counter = ctx.pathParam("counter");
        RequestFields.counterKind(counts.counters(), counter);
        String user = ctx.queryParam("user_id");
        Long userId = user == null ? null : RequestFields.positiveId("user_id", user);
        answer(ctx, counts.count(postId, counter, userId, hop(ctx)));
    }

    private void post(Context ctx) {
        long postId = RequestFields.positiveId("post_id", ctx.pathParam("post_id"));
        String regions = ctx.queryParam("regions");
        if (regions != null && !regions.equals("true") && !regions.equals("false")) {
            throw ApiException.badRequest("regions must be true or false");
        }
        answer(ctx, "true".equals(regions) ? counts.postByRegion(postId, hop(ctx)) : counts.post(postId, hop(ctx)));
    }

    private void feed(Context ctx) {
        List<Long> postIds = RequestFields.distinctIds("post_ids", ctx.queryParam("post_ids"), MAX_FEED);
        answer(ctx, counts.feed(postIds, hop(ctx)));
    }

    /**
     * A read of this instance's own store is complete when it returns: written at once. Only one that waits for
     * another instance goes through {@code ctx.future}, which makes the request asynchronous (a servlet async
     * context and its timeout) at a cost that showed in every local GET's profile.
     */
    private static void answer(Context ctx, CompletableFuture<?> answer) {
        if (answer.isDone()) {
            ctx.json(answer.join()); // a failed read throws its CompletionException, mapped as any other
        } else {
            ctx.future(() -> answer.thenAccept(ctx::json));
        }
    }

    private static Hop hop(Context ctx) {
        return Hop.ofHeader(ctx.header(RemoteCounts.FORWARDED_HEADER));
    }
}
