package dev.tally.query;

import com.fasterxml.jackson.databind.JavaType;
import dev.tally.http.ApiException;
import dev.tally.http.security.EdgeGuard;
import dev.tally.schemas.Json;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Reads counts from the instance that owns them, over one shared HTTP client. Forwarded requests carry
 * {@link #FORWARDED_HEADER}, whose value is the {@link Hop}: the receiver answers from the copy the hop allows or
 * refuses, and a request never travels in a loop while ownership moves.
 */
public final class RemoteCounts implements OwnerReads {

    static final String FORWARDED_HEADER = EdgeGuard.FORWARDED_HEADER;

    private final HttpClient client;
    private final Duration timeout;
    private final Counter sent;

    /** @param sent counts every request sent to another instance */
    public RemoteCounts(Duration timeout, Counter sent) {
        this.timeout = timeout;
        this.sent = sent;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public <T> CompletableFuture<T> get(HostInfo host, String pathAndQuery, JavaType type, Hop hop) {
        if (hop == Hop.CLIENT) {
            throw new IllegalArgumentException("a forwarded read goes to the owner or to a standby copy");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(timeout)
                .header(FORWARDED_HEADER, hop.header())
                .header("Accept", "application/json")
                .GET()
                .build();
        sent.increment();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw ApiException.unavailable("instance " + host + " answered " + response.statusCode() + " for a forwarded read");
            }
            try {
                return Json.mapper().readValue(response.body(), type);
            } catch (IOException e) {
                throw ApiException.unavailable("instance " + host + " answered unreadable JSON");
            }
        });
    }
}
