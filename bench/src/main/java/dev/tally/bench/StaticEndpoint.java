package dev.tally.bench;

import io.javalin.Javalin;

/**
 * A Javalin server answering one constant JSON body: no Kafka, no store, the same Jetty and Javalin as tally. Its
 * throughput is the ceiling of any tally HTTP endpoint on this machine with this client.
 */
final class StaticEndpoint implements AutoCloseable {

    static final String PATH = "/static";
    private static final String BODY = "{\"post_id\":1,\"counter\":\"likes\",\"count\":1}";

    private final Javalin http;

    StaticEndpoint() {
        this.http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get(PATH, ctx -> ctx.contentType("application/json").result(BODY));
        }).start("127.0.0.1", 0);
    }

    String url() {
        return "http://127.0.0.1:" + http.port();
    }

    @Override
    public void close() {
        http.stop();
    }
}
