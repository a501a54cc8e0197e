package dev.tally.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionsTest {

    @Test
    void shouldBeALocalRegionWithoutPeersByDefault() {
        Regions regions = Regions.fromEnv(new Env(Map.of()));
        assertThat(regions.home()).isEqualTo("local");
        assertThat(regions.peers()).isEmpty();
        assertThat(regions).isEqualTo(Regions.single());
    }

    @Test
    void shouldReadTheRegionAndItsPeersInTheOrderGiven() {
        Regions regions = Regions.fromEnv(new Env(Map.of("TALLY_REGION", "east", "TALLY_PEER_REGIONS", " west, ap-south-1 ,")));
        assertThat(regions.home()).isEqualTo("east");
        assertThat(regions.peers()).containsExactly("west", "ap-south-1");
        assertThat(regions.all()).containsExactly("east", "west", "ap-south-1");
    }

    @Test
    void shouldRefuseANameThatCannotBeAMirrorMakerAliasNamingTheVariable() {
        assertThatThrownBy(() -> Regions.fromEnv(new Env(Map.of("TALLY_REGION", "eu.west"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TALLY_REGION").hasMessageContaining("eu.west");
        assertThatThrownBy(() -> Regions.fromEnv(new Env(Map.of("TALLY_PEER_REGIONS", "west,eu west"))))
                .hasMessageContaining("TALLY_PEER_REGIONS").hasMessageContaining("'eu west'");
        assertThatThrownBy(() -> Regions.fromEnv(new Env(Map.of("TALLY_REGION", "East"))))
                .hasMessageContaining("TALLY_REGION").hasMessageContaining("'East'");
    }

    @Test
    void shouldRefuseThisRegionAsItsOwnPeerAndAPeerNamedTwice() {
        assertThatThrownBy(() -> new Regions("east", List.of("west", "east")))
                .hasMessage("TALLY_PEER_REGIONS names this region itself (east)");
        assertThatThrownBy(() -> new Regions("east", List.of("west", "west")))
                .hasMessage("TALLY_PEER_REGIONS names west twice");
    }

    @Test
    void shouldGiveEveryServiceTheMirroredEventTopicsOfThePeers() {
        SharedSettings shared = SharedSettings.fromEnv(new Env(Map.of(
                "TALLY_REGION", "east", "TALLY_PEER_REGIONS", "west,north", "TALLY_TOPIC_PREFIX", "t1-")), "kafka:9092");
        assertThat(shared.regions()).isEqualTo(new Regions("east", List.of("west", "north")));
        assertThat(shared.topics().mirroredEvents()).containsExactly("west.t1-counter-events", "north.t1-counter-events");
        assertThat(shared.topics().eventSources())
                .containsExactly("t1-counter-events", "west.t1-counter-events", "north.t1-counter-events");
    }
}
