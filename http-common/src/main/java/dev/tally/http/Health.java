package dev.tally.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live} (the process answers) and {@code GET /health/ready} (every named check passes: the
 * instance can answer reads, the producer is connected, ...). Ready answers 503 with each check's state
 * otherwise, so a load balancer can take the instance out. A check should mean "cannot serve", not "busy": the
 * processor's stays up while Streams rebalances (see ProcessorRuntime.canServeReads), or every instance would leave
 * the load balancer at once whenever one joins.
 */
public final class Health {

    private static final byte[] LIVE = "{\"status\":\"up\"}".getBytes(StandardCharsets.UTF_8);

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    public Health check(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    public void routes(JavalinConfig config) {
        // Probed often and never different: written as constant bytes rather than through Jackson.
        config.routes.get("/health/live", ctx -> ctx.contentType(ContentType.APPLICATION_JSON).result(LIVE));
        config.routes.get("/health/ready", ctx -> {
            Map<String, Object> states = new LinkedHashMap<>();
            boolean ready = true;
            for (Map.Entry<String, BooleanSupplier> check : checks.entrySet()) {
                boolean ok = check.getValue().getAsBoolean();
                states.put(check.getKey(), ok ? "up" : "down");
                ready &= ok;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", ready ? "up" : "down");
            body.put("checks", states);
            ctx.status(ready ? 200 : 503).json(body);
        });
    }
}
