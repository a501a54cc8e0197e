package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import dev.tally.http.security.TokenVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands of {@code ./tally} that run and exit. */
class TallyMainTest {

    private static final Map<String, String> JWT = Map.of("TALLY_AUTH", "jwt",
            "TALLY_JWT_SECRET", "a-development-secret-of-32-bytes!", "TALLY_JWT_ISSUER", "tally-dev", "TALLY_JWT_AUDIENCE", "tally");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldMintATokenThatTallyItselfAccepts() {
        TallySettings settings = TallySettings.fromEnv(new Env(JWT));

        assertThat(token(settings, "token", "7")).isZero();
        assertThat(new TokenVerifier(settings.security()).verify("Bearer " + printed()))
                .isEqualTo(new TokenVerifier.Identity(7, false));
        out.reset();
        assertThat(token(settings, "token", "1", "--admin")).isZero();
        assertThat(new TokenVerifier(settings.security()).verify("Bearer " + printed()).admin()).isTrue();
    }

    @Test
    void shouldRefuseAUserIdThatIsNotPositiveAndSayWhyWithoutAKey() {
        TallySettings settings = TallySettings.fromEnv(new Env(JWT));
        assertThat(token(settings, "token", "0")).isEqualTo(2);
        assertThat(token(settings, "token", "7", "--root")).isEqualTo(2);
        assertThat(token(TallySettings.fromEnv(new Env(Map.of())), "token", "7")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TALLY_JWT_SECRET");
        assertThat(out.size()).isZero();
    }

    private int token(TallySettings settings, String... args) {
        return TallyMain.token(settings, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
