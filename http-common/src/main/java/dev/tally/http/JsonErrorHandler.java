package dev.tally.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tally.schemas.ErrorResponse;
import dev.tally.schemas.Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, in tally's one JSON error shape. Jetty refuses some requests before any route
 * runs (a header block over its limit: 431, a URI over it: 414, a request line or path it cannot accept: 400) and
 * tally's body reader refuses others before dispatch (408, 413); Jetty's own handler wrote an HTML page for those,
 * or no body at all when the client sent an {@code Accept} without HTML. This one writes
 * {@code {"error": code, "message": ...}} whatever the client accepts, at server and at servlet-context level.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
        int status = response.getStatus();
        String message = (String) request.getAttribute(ERROR_MESSAGE);
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException refused) {
            status = refused.getCode();
            response.setStatus(status);
            message = message == null ? refused.getReason() : message;
        }
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        ErrorResponse error = new ErrorResponse(HttpErrors.codeFor(status), messageFor(status, message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(Json.mapper().writeValueAsBytes(error)), callback);
        return true;
    }

    /** Jetty's reason when it gave one ("Ambiguous URI path separator"); never an exception's text, which names classes. */
    private static String messageFor(int status, String reason) {
        if (status == 500) {
            return "the request failed inside tally";
        }
        if (status == 400 && (reason == null || reason.equals("Bad Request"))) {
            return "the request is not valid HTTP, or its path is not allowed";
        }
        if (reason == null || reason.isBlank() || reason.contains("Exception")) {
            String phrase = HttpStatus.getMessage(status);
            return phrase == null ? "the request was refused" : phrase;
        }
        return reason;
    }
}
