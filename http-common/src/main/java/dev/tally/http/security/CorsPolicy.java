package dev.tally.http.security;

import dev.tally.http.ApiException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * Which web pages may call tally from a browser. A request without {@code Origin} (curl, SDKs, servers) or from
 * tally's own origin (the demo page) passes; one from an origin in {@code TALLY_CORS_ORIGINS} passes and gets the
 * headers that let its page read the answer; any other is refused with 403 before it does anything. Refusing on
 * the server, not only withholding the CORS headers, matters for writes and streams: a browser sends a simple
 * cross-origin request (and opens an EventSource) without a preflight, and would count the like or the viewer
 * even though the page could not read the answer.
 */
public final class CorsPolicy {

    static final String ALLOW_METHODS = "GET, PUT, POST, DELETE";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Prefer";
    static final String EXPOSE_HEADERS = "Retry-After, WWW-Authenticate";

    private final List<String> allowed;

    public CorsPolicy(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Refuses a foreign origin; marks an allowed one's answer readable by its page. */
    public void check(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || isSameOrigin(origin, ctx.header("Host"))) {
            return;
        }
        if (!allowed.contains(origin.toLowerCase(Locale.ROOT))) {
            throw ApiException.forbidden("origin " + dev.tally.schemas.EventRules.quote(origin)
                    + " may not call tally: allow it in TALLY_CORS_ORIGINS");
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }

    /** The answer to a preflight whose origin {@link #check} let through. */
    public void preflight(Context ctx) {
        ctx.header("Access-Control-Allow-Methods", ALLOW_METHODS);
        ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    /**
     * The scheme is not compared: behind a TLS-terminating proxy tally sees http while the page is https; the
     * authority is what a foreign page cannot share.
     */
    private static boolean isSameOrigin(String origin, String host) {
        int separator = origin.indexOf("://");
        return host != null && separator > 0 && origin.substring(separator + 3).equalsIgnoreCase(host);
    }
}
