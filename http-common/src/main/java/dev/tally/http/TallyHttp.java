package dev.tally.http;

import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the Javalin server of a tally process from the route groups of the services it hosts: ingest alone,
 * the processor's query API alone, or both on one port. Callers start it; tests start it on port 0.
 */
public final class TallyHttp {

    private TallyHttp() {
    }

    public static Javalin create(List<Consumer<JavalinConfig>> routeGroups) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.prefer405over404 = true;
            // Counts are small JSON bodies; compress them too when the client accepts gzip.
            CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
            gzip.setDefaultMinSizeForCompression(0);
            config.http.compressionStrategy = gzip;
            HttpErrors.install(config);
            routeGroups.forEach(group -> group.accept(config));
        });
    }
}
