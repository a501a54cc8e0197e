package dev.tally.app;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the OpenAPI document of this build ({@code schemas/.../openapi.yaml}), served by every
 * instance, so a client, a gateway or a person reads the API of the very version it talks to.
 */
final class OpenApiDocument {

    static final String PATH = "/openapi.yaml";
    static final String RESOURCE = "/dev/tally/schemas/openapi.yaml";
    static final String CONTENT_TYPE = "application/yaml; charset=utf-8";

    private final byte[] yaml;

    OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the schemas jar");
            }
            this.yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(JavalinConfig config) {
        config.routes.get(PATH, ctx -> ctx.contentType(CONTENT_TYPE).header("Cache-Control", "no-cache").result(yaml));
    }
}
