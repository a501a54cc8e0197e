package dev.tally.live;

import dev.tally.http.JsonBody;
import dev.tally.http.RequestFields;
import dev.tally.http.security.Caller;
import dev.tally.schemas.LiveSessionResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * {@code PUT /v1/{post_id}/live_users} with {@code {"action":"join"|"leave","user_id":U}} (or
 * {@code "session_id":"…"}; with {@code TALLY_AUTH=jwt} the user is the bearer token's, and a body naming another
 * user is refused with 403): opens, renews or closes a viewer session on this instance. A client joins again at
 * least every session timeout while it views the post, and leaves when it is done; a session not renewed in time
 * stops counting by itself. Registered before the counter writes, whose {@code /v1/{post_id}/{counter}} would
 * otherwise take the request.
 */
public final class LiveRoutes {

    private static final int MAX_BODY_BYTES = 1024;

    private final LocalSessions sessions;
    private final LiveSettings settings;

    public LiveRoutes(LocalSessions sessions, LiveSettings settings) {
        this.sessions = sessions;
        this.settings = settings;
    }

    public void register(JavalinConfig config) {
        config.routes.put("/v1/{post_id}/live_users", this::session);
    }

    private void session(Context ctx) {
        long postId = RequestFields.positiveId("post_id", ctx.pathParam("post_id"));
        byte[] body = JsonBody.read(ctx, MAX_BODY_BYTES);
        SessionRequest request = SessionRequest.parse(body);
        String sessionKey = request.sessionKey(Caller.of(ctx));
        if (request.join()) {
            sessions.join(postId, sessionKey);
            ctx.json(new LiveSessionResponse(postId, "join", settings.sessionTimeout().toMillis()));
        } else {
            sessions.leave(postId, sessionKey);
            ctx.json(new LiveSessionResponse(postId, "leave", null));
        }
    }
}
