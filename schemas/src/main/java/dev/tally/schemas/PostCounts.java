package dev.tally.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every counter of one post in one flat object: {@code {"post_id":1,"likes":3,"views":9,"live_users":2,
 * "updated_at":"…"}}, and when asked, {@code "regions":{"east":{"likes":2,"views":4},"west":{…}}}. Counters are listed by name so that configured counters appear without a schema change.
 *
 * @param updatedAt the latest change of any counter of the post, null if none was ever counted
 * @param liveUsers open viewer sessions, null where presence is not served
 * @param regions   when asked for ({@code ?regions=true}): what each region's events added to each counter, whose
 *                  sum over regions is the count; null otherwise
 */
@JsonSerialize(using = PostCounts.FlatWriter.class)
public record PostCounts(long postId, Map<String, Long> counts, Long liveUsers, Instant updatedAt,
                         Map<String, Map<String, Long>> regions) {

    public PostCounts {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        regions = regions == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(regions));
    }

    public PostCounts(long postId, Map<String, Long> counts, Long liveUsers, Instant updatedAt) {
        this(postId, counts, liveUsers, updatedAt, null);
    }

    public PostCounts withRegions(Map<String, Map<String, Long>> byRegion) {
        return new PostCounts(postId, counts, liveUsers, updatedAt, byRegion);
    }

    /** Reads the flat shape back: every field that is not post_id, live_users, updated_at or regions is a counter. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    @SuppressWarnings("unchecked")
    static PostCounts fromJson(Map<String, Object> fields) {
        Map<String, Long> counts = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (!name.equals("post_id") && !name.equals("live_users") && !name.equals("updated_at") && !name.equals("regions")) {
                counts.put(name, ((Number) value).longValue());
            }
        });
        Map<String, Map<String, Long>> regions = null;
        if (fields.get("regions") instanceof Map<?, ?> byRegion) {
            regions = new LinkedHashMap<>();
            for (Map.Entry<?, ?> region : byRegion.entrySet()) {
                Map<String, Long> figures = new LinkedHashMap<>();
                ((Map<String, Object>) region.getValue()).forEach((counter, value) -> figures.put(counter, ((Number) value).longValue()));
                regions.put((String) region.getKey(), figures);
            }
        }
        Object live = fields.get("live_users");
        Object updated = fields.get("updated_at");
        return new PostCounts(
                ((Number) fields.get("post_id")).longValue(),
                counts,
                live == null ? null : ((Number) live).longValue(),
                updated == null ? null : Instant.parse((String) updated),
                regions);
    }

    public long count(String counter) {
        return counts.getOrDefault(counter, 0L);
    }

    /** Writes post_id, then each counter by name, then live_users (if served) and updated_at. */
    static final class FlatWriter extends JsonSerializer<PostCounts> {
        @Override
        public void serialize(PostCounts value, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject();
            json.writeNumberField("post_id", value.postId());
            for (Map.Entry<String, Long> counter : value.counts().entrySet()) {
                json.writeNumberField(counter.getKey(), counter.getValue());
            }
            if (value.liveUsers() != null) {
                json.writeNumberField("live_users", value.liveUsers());
            }
            json.writeFieldName("updated_at");
            if (value.updatedAt() == null) {
                json.writeNull();
            } else {
                json.writeString(value.updatedAt().toString());
            }
            if (value.regions() != null) {
                json.writeObjectFieldStart("regions");
                for (Map.Entry<String, Map<String, Long>> region : value.regions().entrySet()) {
                    json.writeObjectFieldStart(region.getKey());
                    for (Map.Entry<String, Long> counter : region.getValue().entrySet()) {
                        json.writeNumberField(counter.getKey(), counter.getValue());
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }
}
