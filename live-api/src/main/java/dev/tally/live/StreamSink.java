package dev.tally.live;

import dev.tally.schemas.PostCounts;
import io.javalin.http.sse.SseClient;

/** Where a stream's events go: an SSE connection in production, a recorder in unit tests. Writes may block. */
interface StreamSink {

    void event(String name, PostCounts counts);

    void comment(String text);

    boolean isClosed();

    void close();

    /** Runs once the stream has ended, whoever ended it. */
    void onClose(Runnable action);

    static StreamSink of(SseClient client) {
        return new StreamSink() {
            @Override
            public void event(String name, PostCounts counts) {
                client.sendEvent(name, counts);
            }

            @Override
            public void comment(String text) {
                client.sendComment(text);
            }

            @Override
            public boolean isClosed() {
                return client.terminated();
            }

            @Override
            public void close() {
                client.close();
            }

            @Override
            public void onClose(Runnable action) {
                client.onClose(action);
            }
        };
    }
}
