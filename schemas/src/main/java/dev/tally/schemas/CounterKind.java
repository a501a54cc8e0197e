package dev.tally.schemas;

import java.util.Locale;

/**
 * How a counter reacts to increments and decrements.
 *
 * <ul>
 *   <li>{@code PER_USER}: a toggle per user, like a like. The count is the number of users whose last action was
 *       an increment; it never goes below zero and a user counts at most once.</li>
 *   <li>{@code MONOTONIC}: every increment counts, decrements are refused, like views.</li>
 *   <li>{@code GENERIC}: anyone may increment or decrement.</li>
 * </ul>
 */
public enum CounterKind {
    PER_USER,
    MONOTONIC,
    GENERIC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static CounterKind fromWire(String value) {
        for (CounterKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("counter kind must be per-user, monotonic or generic; got " + value);
    }

    public boolean requiresUser() {
        return this == PER_USER;
    }

    /** A monotonic counter only goes up, except when an admin resets it. */
    public boolean allows(Action action) {
        return this != MONOTONIC || action != Action.DECREMENT;
    }
}
