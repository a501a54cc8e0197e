package dev.tally.live;

import dev.tally.http.Params;
import dev.tally.http.security.Caller;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /v1/{post_id}/stream}: Server-Sent Events of one post's counts. The first event comes at once, then
 * one per change, at most one per minimum gap: {@code event: counts} with {@code data: {"post_id":7,"likes":3,
 * "views":9,"live_users":2,"updated_at":"…"}}; a {@code : keep-alive} comment line when idle. While open, the
 * stream counts as a live viewer of the post. Validation, the origin check and the rate limit of stream opens
 * ({@code EdgeGuard}), and the per-address limit of open streams answer the usual JSON error before the stream
 * starts.
 */
public final class StreamRoutes {

    private final StreamHub hub;

    public StreamRoutes(StreamHub hub) {
        this.hub = hub;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/v1/{post_id}/stream", this::stream);
    }

    private void stream(Context ctx) throws IOException {
        long postId = Params.positiveId("post_id", ctx.pathParam("post_id"));
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
        hub.subscribe(postId, slot, client);
    }
}
