package dev.tally.http.security;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;

/**
 * What every request passes before a route sees it, in this order: its origin ({@link CorsPolicy}), its client
 * address ({@link TrustedProxies}), its bearer token ({@link TokenVerifier}, jwt mode only), and the rate limit of
 * its kind ({@link RateLimits}: writes, reads of counts, stream opens). Each refusal is the one JSON error shape,
 * thrown before the route runs, so a refused request writes nothing. The routes read the result as a
 * {@link Caller}.
 */
public final class EdgeGuard {

    /** What the query API's forwards to an owning instance carry ({@code RemoteCounts}). */
    public static final String FORWARDED_HEADER = "X-Tally-Forwarded";

    private final SecuritySettings settings;
    private final CorsPolicy cors;
    private final TokenVerifier verifier;
    private final Optional<RateLimits> writes;
    private final Optional<RateLimits> reads;
    private final Optional<RateLimits> streams;

    public EdgeGuard(SecuritySettings settings) {
        this(settings, settings.jwt() ? new TokenVerifier(settings) : null);
    }

    EdgeGuard(SecuritySettings settings, TokenVerifier verifier) {
        this.settings = settings;
        this.cors = new CorsPolicy(settings.corsOrigins());
        this.verifier = verifier;
        this.writes = RateLimits.of("writes", settings.writes());
        this.reads = RateLimits.of("reads", settings.reads());
        this.streams = RateLimits.of("stream opens", settings.streams());
    }

    public static EdgeGuard development() {
        return new EdgeGuard(SecuritySettings.development());
    }

    public SecuritySettings settings() {
        return settings;
    }

    public void install(JavalinConfig config) {
        config.routes.before(this::check);
    }

    private void check(Context ctx) {
        cors.check(ctx);
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            // A preflight carries no credentials and costs nothing; no route is registered for OPTIONS, since one
            // on every path would turn every 404 into a 405.
            cors.preflight(ctx);
            ctx.skipRemainingHandlers();
            return;
        }
        String address = settings.trustedProxies().clientAddress(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
        TokenVerifier.Identity identity = null;
        String authorization = ctx.header("Authorization");
        if (verifier != null && authorization != null) {
            identity = verifier.verify(authorization);
        }
        Caller caller = new Caller(address, identity == null ? null : identity.userId(), identity != null && identity.admin(),
                settings.auth(), settings.anonymousKinds());
        ctx.attribute(Caller.ATTRIBUTE, caller);
        if (!isForwardFromAnotherInstance(ctx)) {
            limitOf(ctx).ifPresent(limits -> limits.acquire(caller.userId(), address));
        }
    }

    /**
     * A read another instance forwards to this owner was limited where the client sent it; limiting it again, on
     * the forwarding instance's address, would throttle every client behind that instance at once. Only a peer in
     * {@code TALLY_TRUSTED_PROXIES} (the instances' network) is believed: anyone can send the header.
     */
    private boolean isForwardFromAnotherInstance(Context ctx) {
        return ctx.header(FORWARDED_HEADER) != null && settings.trustedProxies().trusts(ctx.req().getRemoteAddr());
    }

    /** Only the API is limited: health probes and metric scrapes come from the platform, not from clients. */
    private Optional<RateLimits> limitOf(Context ctx) {
        String path = ctx.path();
        boolean api = path.startsWith("/v1/") || path.equals("/");
        if (!api) {
            return Optional.empty();
        }
        HandlerType method = ctx.method();
        if (method == HandlerType.GET || method == HandlerType.HEAD) {
            return path.endsWith("/stream") ? streams : reads;
        }
        return writes;
    }
}
