package dev.tally.live;

import dev.tally.http.RequestFields;
import dev.tally.http.security.Caller;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Server-Sent Events of posts' counts:
 *
 * <ul>
 *   <li>{@code GET /v1/{post_id}/stream}: one post;</li>
 *   <li>{@code GET /v1/stream?post_ids=1,2,3}: 1 to {@value #MAX_POSTS} distinct posts on one connection, for a
 *       page that shows several (browsers allow only 6 HTTP/1.1 connections per host, shared by every tab).</li>
 * </ul>
 *
 * The first event of each post comes at once, then one per change, at most one write per minimum gap:
 * {@code event: counts} with {@code data: {"post_id":7,"likes":3,"views":9,"live_users":2,"updated_at":"…"}}; a
 * {@code : keep-alive} comment line when idle. While open, the stream counts as a live viewer of each of its
 * posts, and takes one of its client address's stream slots. Validation, the origin check and the rate limit of
 * stream opens ({@code EdgeGuard}), and the per-address limit of open streams answer the usual JSON error before
 * the stream starts.
 */
public final class StreamRoutes {

    /** As many posts as a feed ({@code GET /v1/counters}) answers. */
    public static final int MAX_POSTS = 100;

    private final StreamHub hub;

    public StreamRoutes(StreamHub hub) {
        this.hub = hub;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/v1/stream", this::streamOfPosts);
        config.routes.get("/v1/{post_id}/stream", this::streamOfPost);
    }

    private void streamOfPost(Context ctx) throws IOException {
        stream(ctx, List.of(RequestFields.positiveId("post_id", ctx.pathParam("post_id"))));
    }

    private void streamOfPosts(Context ctx) throws IOException {
        stream(ctx, RequestFields.distinctIds("post_ids", ctx.queryParam("post_ids"), MAX_POSTS));
    }

    private void stream(Context ctx, List<Long> postIds) throws IOException {
        // The client's address behind trusted proxies; ctx.ip() would put every client of a proxy on one limit.
        StreamHub.Slot slot = hub.reserve(Caller.of(ctx).address());
        try {
            // What Javalin's SseHandler does, minus its Accept-header check: curl and EventSource both get the stream.
            HttpServletResponse response = ctx.res();
            response.setStatus(200);
            response.setCharacterEncoding("UTF-8");
            response.setContentType("text/event-stream");
            response.addHeader("Cache-Control", "no-cache");
            response.addHeader("X-Accel-Buffering", "no");
            response.flushBuffer();
        } catch (IOException | RuntimeException e) {
            hub.cancel(slot);
            throw e;
        }
        SseClient client = new SseClient(ctx);
        client.keepAlive();
        hub.subscribe(postIds, slot, client);
    }
}
