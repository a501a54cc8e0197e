package dev.tally.http;

import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.RuleViolation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses and checks the identifiers of tally's URLs and bodies; every failure is a 400 naming the field. */
public final class RequestFields {

    /** 1 to 2^63-1 in plain decimal: no sign, no leading zero, no exponent. */
    private static final Pattern POSITIVE_LONG = Pattern.compile("[1-9][0-9]{0,18}");

    private RequestFields() {
    }

    public static long positiveId(String field, String text) {
        if (text == null || !POSITIVE_LONG.matcher(text).matches()) {
            throw ApiException.badRequest(field + " must be an integer from 1 to 9223372036854775807; got " + quote(text));
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field + " must be an integer from 1 to 9223372036854775807; got " + quote(text));
        }
    }

    /**
     * A query parameter such as {@code post_ids=1,2,3}: 1 to {@code max} distinct ids, comma-separated, in the order
     * given. The feed and the multi-post stream read their posts with it, so both refuse the same lists.
     */
    public static List<Long> distinctIds(String field, String list, int max) {
        if (list == null || list.isBlank()) {
            throw ApiException.badRequest(field + " must list 1 to " + max + " post ids, comma-separated");
        }
        String[] parts = list.split(",", -1);
        if (parts.length > max) {
            throw ApiException.badRequest(field + " lists " + parts.length + " ids; at most " + max + " are allowed");
        }
        List<Long> ids = new ArrayList<>(parts.length);
        Set<Long> seen = new HashSet<>();
        for (String part : parts) {
            long id = positiveId(field, part.trim());
            if (!seen.add(id)) {
                throw ApiException.badRequest(field + " lists " + id + " twice");
            }
            ids.add(id);
        }
        return ids;
    }

    public static CounterKind counterKind(CounterCatalog catalog, String counter) {
        try {
            return EventRules.counterKind(catalog, counter);
        } catch (RuleViolation e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String quote(String text) {
        return EventRules.quote(text);
    }
}
