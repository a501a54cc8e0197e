package dev.tally.http;

import dev.tally.schemas.ErrorResponse;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure of a tally HTTP service to the one JSON error shape, in one place. */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    public static void install(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> write(ctx, e));
        config.routes.exception(HttpResponseException.class, (e, ctx) ->
                write(ctx, new ApiException(e.getStatus(), codeFor(e.getStatus()), e.getMessage())));
        config.routes.exception(CompletionException.class, (e, ctx) -> {
            if (e.getCause() instanceof ApiException api) {
                write(ctx, api);
            } else {
                internal(ctx, e.getCause() == null ? e : e.getCause());
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> internal(ctx, e));
        config.routes.error(404, "*", ctx -> {
            if (!isJsonError(ctx)) {
                write(ctx, new ApiException(404, "not_found", "no route for " + ctx.method() + " " + ctx.path()));
            }
        });
        config.routes.error(405, "*", ctx -> {
            if (!isJsonError(ctx)) {
                write(ctx, new ApiException(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
            }
        });
    }

    public static void write(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", e.retryAfterSeconds().toString());
        }
        if (e.bearerChallenge() != null) {
            ctx.header("WWW-Authenticate", e.bearerChallenge());
        }
        ctx.status(e.status()).json(new ErrorResponse(e.code(), e.getMessage()));
    }

    private static void internal(Context ctx, Throwable e) {
        LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, new ApiException(500, "internal_error", "the request failed inside tally; it was logged"));
    }

    private static boolean isJsonError(Context ctx) {
        String body = ctx.result();
        return body != null && body.startsWith("{\"error\"");
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }
}
