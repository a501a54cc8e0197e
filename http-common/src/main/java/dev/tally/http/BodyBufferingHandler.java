package dev.tally.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the whole body of a request before Javalin sees it, without holding a request thread while it arrives.
 *
 * <p>Why it exists: Javalin's handlers read bodies with the servlet API, which blocks its thread until the last
 * byte. With the few request threads tally runs (see {@link TallyHttp#create}), five clients that sent headers and
 * then one byte stalled every route, {@code /health/live} included, for Jetty's 30 s idle timeout. Here the body is
 * read with Jetty's non-blocking {@code Content.Source} demand/read loop: no thread waits between chunks, and the
 * route runs only once the body is complete. Virtual threads would make blocking reads cheap instead, but need
 * Java 21; tally stays on 17.
 *
 * <p>Why not Jetty's own {@code EagerContentHandler}: its retained-content loader has no deadline, so a client
 * trickling one byte a second would still keep its buffers and connection until the idle timeout; and
 * {@code Content.Source.asByteBufferAsync} fails the whole request when the body is too large, so no 413 could be
 * answered. The loop below is the same demand/read pattern, with the two limits tally needs:
 * <ul>
 *   <li>at most {@code maxBytes}: 413, by Content-Length before reading or as a chunked body grows past it;
 *   <li>the whole body within {@code deadline} of the headers: 408 and the connection closed, whatever the pace
 *       (a rate floor would let a client that keeps just above it hold a connection for as long as it likes, and
 *       Jetty 12.1 reads {@code HttpConfiguration.setMinRequestDataRate} nowhere: its replacement,
 *       {@code MinimumDataRateHandler}, also measures a client's pause before its first bytes as slowness).
 * </ul>
 * A client that ends the body early (a half-close) gets 400, logged at DEBUG: it is the client's fault, not
 * tally's. Nothing reaches a route for a refused body. Requests without a body pass straight through.
 */
final class BodyBufferingHandler extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(BodyBufferingHandler.class);

    private final long maxBytes;
    private final Duration deadline;

    BodyBufferingHandler(long maxBytes, Duration deadline) {
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (request.getLength() <= 0 && !chunked) {
            return super.handle(request, response, callback);
        }
        if (request.getLength() > maxBytes) {
            Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
            return true;
        }
        new BodyRead(request, response, callback).start();
        return true;
    }

    private String tooLarge() {
        return "body is over " + maxBytes + " bytes";
    }

    /**
     * One request's body on its way in; whichever of completion, refusal or the deadline comes first decides. As
     * Jetty's demand callback it only copies bytes, so it declares itself non-blocking and Jetty runs it on the
     * selector instead of taking a request thread for each chunk; a route, which may block, gets a thread of its own.
     */
    private final class BodyRead implements Invocable.Task {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream body;
        private final AtomicBoolean decided = new AtomicBoolean();
        private Scheduler.Task expiry;

        BodyRead(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.body = new ByteArrayOutputStream((int) Math.max(32, Math.min(request.getLength(), maxBytes)));
        }

        void start() {
            expiry = request.getComponents().getScheduler().schedule(
                    () -> refuse(HttpStatus.REQUEST_TIMEOUT_408, "the body did not arrive within " + deadline.toMillis() + " ms"),
                    deadline.toMillis(), TimeUnit.MILLISECONDS);
            read(false);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        /** The demand callback: more of the body has arrived. */
        @Override
        public void run() {
            read(true);
        }

        /** Reads what has arrived, then asks Jetty to call again when more does. */
        private void read(boolean onDemandCallback) {
            while (!decided.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                try {
                    if (Content.Chunk.isFailure(chunk)) {
                        refuseFailed(chunk.getFailure());
                        return;
                    }
                    if (body.size() + (long) chunk.remaining() > maxBytes) {
                        refuse(HttpStatus.PAYLOAD_TOO_LARGE_413, tooLarge());
                        return;
                    }
                    BufferUtil.writeTo(chunk.getByteBuffer(), body);
                    if (chunk.isLast()) {
                        if (onDemandCallback) {
                            request.getContext().execute(this::dispatch);
                        } else {
                            dispatch(); // the body came with the headers: this is already a request thread
                        }
                        return;
                    }
                } catch (IOException cannotHappen) {
                    throw new IllegalStateException(cannotHappen); // a ByteArrayOutputStream does not fail
                } finally {
                    chunk.release();
                }
            }
        }

        private void refuseFailed(Throwable failure) {
            if (failure instanceof TimeoutException) {
                refuse(HttpStatus.REQUEST_TIMEOUT_408, "the body did not arrive in time");
            } else {
                LOG.debug("{} {}: the client ended the body early ({})", request.getMethod(), Request.getPathInContext(request), failure.toString());
                refuse(HttpStatus.BAD_REQUEST_400, "the body ended before it was complete");
            }
        }

        private void refuse(int status, String message) {
            if (decided.compareAndSet(false, true)) {
                expiry.cancel();
                Response.writeError(request, response, callback, status, message);
            }
        }

        private void dispatch() {
            if (!decided.compareAndSet(false, true)) {
                return;
            }
            expiry.cancel();
            Request buffered = new BufferedBodyRequest(request, ByteBuffer.wrap(body.toByteArray()));
            try {
                if (!getHandler().handle(buffered, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, callback, failure);
            }
        }
    }

    /** The request as the routes see it: the same request, with its body already in memory. */
    private static final class BufferedBodyRequest extends Request.Wrapper {

        private Content.Chunk remaining;

        BufferedBodyRequest(Request request, ByteBuffer body) {
            super(request);
            this.remaining = Content.Chunk.from(body, true);
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk chunk = remaining;
            remaining = Content.Chunk.next(chunk);
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }
    }
}
