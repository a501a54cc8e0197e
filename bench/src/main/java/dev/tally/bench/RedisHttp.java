package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;

/**
 * The HTTP + Redis anchor: what a team would build instead of tally in an afternoon, on the same Javalin and Jetty.
 * {@code PUT /v1/{post_id}/{counter}} with tally's body ({@code {"action":"increment", "user_id": 7}}) is an
 * {@code INCR} of key {@code post_id:counter}; {@code GET /v1/{post_id}/{counter}} is a {@code GET} of it. Both answer
 * tally's JSON shape ({@code {"post_id":1,"counter":"likes","count":3}}). Redis is reached through Lettuce's one
 * shared connection, whose commands pipeline on their own, and answered from its future as tally answers from
 * Kafka's, so no request thread waits on Redis. It has none of tally's guarantees: a like is not counted once per
 * user, and with AOF everysec a crash loses up to a second of writes.
 */
final class RedisHttp {

    static final String ROUTE = "/v1/{post_id}/{counter}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RedisHttp() {
    }

    static Javalin create(RedisAsyncCommands<String, String> redis) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.put(ROUTE, ctx -> increment(ctx, redis));
            config.routes.get(ROUTE, ctx -> read(ctx, redis));
        });
    }

    private static void increment(Context ctx, RedisAsyncCommands<String, String> redis) {
        long post = post(ctx);
        String counter = ctx.pathParam("counter");
        // The body is read and checked as tally's is, so both servers parse the same JSON per write.
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new BadRequestResponse("body is not JSON");
        }
        if (body == null || !"increment".equals(body.path("action").asText())) {
            throw new BadRequestResponse("action must be increment");
        }
        ctx.future(() -> redis.incr(post + ":" + counter).toCompletableFuture()
                .thenAccept(count -> answer(ctx, post, counter, count)));
    }

    private static void read(Context ctx, RedisAsyncCommands<String, String> redis) {
        long post = post(ctx);
        String counter = ctx.pathParam("counter");
        ctx.future(() -> redis.get(post + ":" + counter).toCompletableFuture()
                .thenAccept(count -> answer(ctx, post, counter, count == null ? 0 : Long.parseLong(count))));
    }

    private static long post(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("post_id"));
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("post_id must be a number");
        }
    }

    private static void answer(Context ctx, long post, String counter, long count) {
        ctx.contentType("application/json")
                .result("{\"post_id\":" + post + ",\"counter\":\"" + counter + "\",\"count\":" + count + "}");
    }
}
