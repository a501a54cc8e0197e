package dev.tally.schemas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The counters tally knows, each with its kind, in the order responses list them. Parsed from a setting such as
 * {@code likes:per-user,views:monotonic,shares:generic}; ingest and processor read the same setting so that both
 * agree on what a counter means.
 */
public record CounterCatalog(Map<String, CounterKind> kinds) {

    /** Counter names are short, lower-case and safe in a URL path and a JSON field name. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    public static final String DEFAULT_SPEC = "likes:per-user,views:monotonic";
    /** Words of the API's paths and of its JSON answers, which a counter's name would collide with. */
    private static final Set<String> RESERVED = Set.of("post_id", "updated_at", "live_users", "liked", "stream", "counters", "events");

    public CounterCatalog {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("at least one counter must be configured");
        }
        kinds.keySet().forEach(CounterCatalog::checkName);
        kinds = Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
    }

    public static CounterCatalog parse(String spec) {
        Map<String, CounterKind> kinds = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
            CounterKind kind = colon < 0 ? CounterKind.GENERIC : CounterKind.fromWire(trimmed.substring(colon + 1));
            if (kinds.put(name, kind) != null) {
                throw new IllegalArgumentException("counter " + name + " is configured twice");
            }
        }
        return new CounterCatalog(kinds);
    }

    public static CounterCatalog defaults() {
        return parse(DEFAULT_SPEC);
    }

    /** Whether the word can never be a counter's name. */
    public static boolean isReserved(String word) {
        return RESERVED.contains(word);
    }

    public Optional<CounterKind> kindOf(String counter) {
        return Optional.ofNullable(kinds.get(counter));
    }

    public Set<String> names() {
        return kinds.keySet();
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalArgumentException("counter name " + name + " must match " + NAME.pattern()
                    + " and not be one of " + RESERVED);
        }
    }
}
