package dev.tally.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Refuses, with 400, the request targets that no tally route can mean, before routing would answer them with a 404
 * that suggests a missing resource. Jetty already refuses ambiguous encodings ({@code %2e%2e}, {@code %2F},
 * {@code %00}, empty segments) under its default URI compliance; it resolves plain dot segments instead, but Javalin
 * routes the path as sent, so {@code /v1/../v1/42} would reach no route. {@code CONNECT} asks for a tunnel, and tally
 * is no proxy.
 */
final class RequestTargets {

    private RequestTargets() {
    }

    static void install(JavalinConfig config) {
        config.routes.before(RequestTargets::check);
    }

    private static void check(Context ctx) {
        if (ctx.method() == HandlerType.CONNECT) {
            ctx.header("Connection", "close"); // the client would otherwise wait for a tunnel on this connection
            throw ApiException.badRequest("CONNECT is not supported: tally is not a proxy");
        }
        if (hasDotSegment(ctx.req().getRequestURI())) {
            throw ApiException.badRequest("the path must not contain . or .. segments");
        }
    }

    /** Whether a segment of the path is {@code .} or {@code ..}; without splitting it, as every request pays this. */
    static boolean hasDotSegment(String path) {
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if ((length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(end - 1) == '.') {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
