package dev.tally.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Server-Sent Events client for tests: opens {@code GET path} and records every event, with the time it
 * arrived, on a thread of its own until closed. Comment lines are counted, not recorded.
 */
public final class EventStream implements AutoCloseable {

    /** One event: its name, its data as JSON, and when it arrived ({@link System#nanoTime()}). */
    public record Event(String name, JsonNode data, long receivedAtNanos) {
    }

    private final int status;
    private final String errorBody;
    private final InputStream body;
    private final List<Event> events = new ArrayList<>();
    private int comments;
    private final Thread reader;

    private EventStream(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        if (status != 200) {
            try (InputStream in = body) {
                this.errorBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.reader = null;
            return;
        }
        this.errorBody = null;
        this.reader = new Thread(this::read, "test-event-stream");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static EventStream open(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).GET().build();
        try {
            return new EventStream(Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        Event event = new Event(name, Json.mapper().readTree(data.toString()), System.nanoTime());
                        synchronized (this) {
                            events.add(event);
                        }
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    synchronized (this) {
                        comments++;
                    }
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // closed by the test or by the server
        }
    }

    public int status() {
        return status;
    }

    /** The JSON error body of a refused stream. */
    public JsonNode error() {
        try {
            return Json.mapper().readTree(errorBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public synchronized Event last() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    public synchronized int comments() {
        return comments;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
