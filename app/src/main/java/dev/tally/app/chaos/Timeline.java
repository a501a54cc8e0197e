package dev.tally.app.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The clock of a chaos run (milliseconds since it began) and the windows of its faults: from the moment a fault is
 * injected until what it broke is back. Reads and writes are told apart by the window they started in.
 */
final class Timeline {

    record Window(FaultKind kind, String target, long start, long end) {
        boolean contains(long at) {
            return at >= start && (end < 0 || at <= end);
        }
    }

    private final long origin = System.nanoTime();
    private final List<Window> windows = new ArrayList<>();

    long now() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    synchronized int open(FaultKind kind, String target) {
        windows.add(new Window(kind, target, now(), -1));
        return windows.size() - 1;
    }

    synchronized void close(int window) {
        Window open = windows.get(window);
        windows.set(window, new Window(open.kind(), open.target(), open.start(), now()));
    }

    /** The fault under way at that moment, if any. */
    synchronized Optional<FaultKind> during(long at) {
        for (int i = windows.size() - 1; i >= 0; i--) {
            if (windows.get(i).contains(at)) {
                return Optional.of(windows.get(i).kind());
            }
        }
        return Optional.empty();
    }

    /** The kinds of fault under way at any moment from {@code from} to {@code to}. */
    synchronized java.util.Set<FaultKind> overlapping(long from, long to) {
        java.util.Set<FaultKind> kinds = java.util.EnumSet.noneOf(FaultKind.class);
        for (Window window : windows) {
            if (window.start() <= to && (window.end() < 0 || window.end() >= from)) {
                kinds.add(window.kind());
            }
        }
        return kinds;
    }
}
