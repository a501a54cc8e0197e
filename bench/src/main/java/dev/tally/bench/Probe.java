package dev.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One-at-a-time HTTP calls for set-up and the freshness probe; the load itself goes through {@link HttpLoad}. */
final class Probe {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Probe() {
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    static int status(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET()).status();
    }

    static Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static Answer put(String url, String json) {
        return send(jsonPut(url, json));
    }

    /** A write with {@code Prefer: respond-async}: answered 202 once the event is durable, before it is counted. */
    static Answer putAsync(String url, String json) {
        return send(jsonPut(url, json).header("Prefer", "respond-async"));
    }

    private static HttpRequest.Builder jsonPut(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
    }

    static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.build().uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
