package dev.tally.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tally.schemas.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the JSON bodies of tally's writes, strictly and in one way everywhere: the media type must be exactly
 * {@code application/json}, the size is checked before parsing, a body that says two things at once (a duplicate
 * field, a second value after the first) is refused, and a field tally does not know is an error, not dropped.
 */
public final class JsonBody {

    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonBody() {
    }

    /** The raw body: 415 unless JSON, 413 over {@code maxBytes} (by Content-Length first, then as read). */
    public static byte[] read(Context ctx, int maxBytes) {
        if (!isJson(ctx.contentType())) {
            throw ApiException.unsupportedMediaType("Content-Type must be application/json");
        }
        if (ctx.contentLength() > maxBytes) {
            throw ApiException.payloadTooLarge("body is over " + maxBytes + " bytes");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw ApiException.payloadTooLarge("body is over " + maxBytes + " bytes");
        }
        return body;
    }

    /** {@code application/json}, with parameters such as a charset or not; not {@code application/jsonp}. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        return mediaType.equalsIgnoreCase("application/json");
    }

    /** Parses one JSON object with only the {@code allowed} fields; {@code example} shows the shape in the error. */
    public static JsonNode object(byte[] body, List<String> allowed, String example) {
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + JsonSyntaxMessages.of(e));
        } catch (IOException e) {
            throw ApiException.badRequest("body could not be read");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body must be a JSON object such as " + example);
        }
        allowOnly(root, allowed);
        return root;
    }

    public static void allowOnly(JsonNode object, List<String> allowed) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown field \"" + (name.length() > 40 ? name.substring(0, 40) + "…" : name)
                        + "\"; allowed fields are " + String.join(", ", allowed));
            }
        }
    }

    /** A positive 64-bit id, or null when the field is absent or null. */
    public static Long optionalId(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
            throw ApiException.badRequest(field + " must be an integer from 1 to 9223372036854775807");
        }
        return value.longValue();
    }
}
