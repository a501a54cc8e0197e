package dev.tally.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where this deployment runs and which other regions it counts with ({@code TALLY_REGION}, {@code TALLY_PEER_REGIONS}).
 * Each region has its own Kafka cluster and accepts writes; MirrorMaker 2 copies every peer's {@code counter-events}
 * into this region's cluster as {@code <peer>.counter-events}, which the processor reads beside its own events.
 *
 * <p>A region's name is a MirrorMaker cluster alias and the prefix of a topic name, so it is limited to what both
 * accept and what cannot be mistaken for MirrorMaker's separator: 1 to 32 of a-z, 0-9 and '-', no '.'.
 *
 * @param home  this deployment's region; {@code local} when there is only one
 * @param peers the other regions whose events are mirrored here, without {@code home}, each once, in the order given
 */
public record Regions(String home, List<String> peers) {

    public static final String DEFAULT_HOME = "local";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

    public Regions {
        check("TALLY_REGION", home);
        peers = List.copyOf(peers);
        Set<String> seen = new LinkedHashSet<>();
        for (String peer : peers) {
            check("TALLY_PEER_REGIONS", peer);
            if (peer.equals(home)) {
                throw new IllegalArgumentException("TALLY_PEER_REGIONS names this region itself (" + home + ")");
            }
            if (!seen.add(peer)) {
                throw new IllegalArgumentException("TALLY_PEER_REGIONS names " + peer + " twice");
            }
        }
    }

    /** A deployment on its own: no peers. */
    public static Regions single() {
        return new Regions(DEFAULT_HOME, List.of());
    }

    public static Regions fromEnv(Env env) {
        return new Regions(env.string("TALLY_REGION", DEFAULT_HOME), parseList(env.string("TALLY_PEER_REGIONS", "")));
    }

    /** Every region, this one first. */
    public List<String> all() {
        List<String> all = new ArrayList<>(peers.size() + 1);
        all.add(home);
        all.addAll(peers);
        return all;
    }

    private static List<String> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
    }

    private static void check(String variable, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(variable + ": a region is named by 1 to 32 of a-z, 0-9 and '-'"
                    + " (it becomes a MirrorMaker cluster alias and a topic prefix, where '.' separates them); got '"
                    + name + "'");
        }
    }
}
