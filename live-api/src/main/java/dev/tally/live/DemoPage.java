package dev.tally.live;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /}: a small page showing a few posts with their likes, views and live viewers, updated live through
 * one stream of all of them ({@code GET /v1/stream?post_ids=}), with a like button per post. Plain HTML, JavaScript and CSS from the jar: no build step. Open
 * {@code /?posts=1,2,3} to choose the posts.
 */
public final class DemoPage {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/demo/demo.js", "demo.js",
            "/demo/demo.css", "demo.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, byte[]> contents;

    public DemoPage() {
        this.contents = Map.of(
                "index.html", load("index.html"),
                "demo.js", load("demo.js"),
                "demo.css", load("demo.css"));
    }

    public void register(JavalinConfig config) {
        FILES.forEach((path, file) -> config.routes.get(path, ctx -> serve(ctx, file)));
    }

    private void serve(Context ctx, String file) {
        ctx.contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
        ctx.header("Cache-Control", "no-cache");
        ctx.result(contents.get(file));
    }

    private static byte[] load(String file) {
        try (InputStream in = DemoPage.class.getResourceAsStream("/demo/" + file)) {
            if (in == null) {
                throw new IllegalStateException("demo page file /demo/" + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
