package dev.tally.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.app.support.TallyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The pipeline scenarios on a real Kafka broker in a container (the official apache/kafka image), for machines
 * with a Docker engine. Without one, every scenario is skipped with that reason.
 */
@Tag("integration")
class CountingPipelineOnTestcontainersTest extends CountingPipelineIntegrationTest {

    private static final String NO_DOCKER =
            "no Docker engine here: the Testcontainers variant is skipped (the in-process broker variant ran)";
    private static KafkaContainer kafka;

    @BeforeAll
    static void startKafka() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            kafka = new KafkaContainer("apache/kafka:4.4.0");
            kafka.start();
        } else {
            System.out.println(NO_DOCKER);
        }
    }

    @BeforeEach
    void requireDocker() {
        assumeTrue(kafka != null, NO_DOCKER);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Override
    protected TallyFixture newFixture() {
        return TallyFixture.on(kafka.getBootstrapServers());
    }

    @Test
    @Override
    @Disabled("restarts the embedded broker of ./tally run, which a container does not replace")
    void shouldKeepCountsWhenTheWholeAppRestartsOnTheSameDataDirectory() {
    }
}
