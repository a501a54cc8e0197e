package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher's logback.xml (not the tests' logback-test.xml), configured into a logger context of its own: with
 * {@code TALLY_LOG_FORMAT=json} every event is one line of JSON that a log shipper can parse, and plain lines carry
 * the date and the thread. Its appender's output goes to a buffer instead of the console.
 */
class LogbackConfigurationTest {

    private final List<LoggerContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(LoggerContext::stop);
    }

    /** The root logger of a context configured by logback.xml for this TALLY_LOG_FORMAT, writing into {@code out}. */
    private LoggerContext configured(Map<String, String> env, ByteArrayOutputStream out) throws JoranException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        contexts.add(context);
        context.putProperty(LogFormat.PROPERTY, LogFormat.fromEnv(env));
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogbackConfigurationTest.class.getResource("/logback.xml"));
        // A warning would make logback print its every status line when tally starts.
        assertThat(new StatusUtil(context).getHighestLevel(0)).as("the worst status of the configuration")
                .isLessThan(Status.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        List<String> attached = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(appender -> attached.add(appender.getName()));
        assertThat(attached).as("the root logger's appenders").containsExactly(LogFormat.fromEnv(env));
        ((OutputStreamAppender<ILoggingEvent>) root.getAppender(LogFormat.fromEnv(env))).setOutputStream(out);
        return context;
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return List.of(text.split("\n"));
    }

    @Test
    void shouldWriteEveryEventAsOneLineOfJsonWhenTheFormatIsJson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = configured(Map.of("TALLY_LOG_FORMAT", "json"), out);

        context.getLogger("dev.tally.processor.DeadLetters").warn("refused {} record(s):\n\"bad\" {}", 2, "json",
                new IllegalStateException("boom"));
        context.getLogger("dev.tally.app.TallyMain").info("started");
        context.getLogger("org.apache.kafka.clients.NetworkClient").info("Kafka's INFO is not written");
        context.getLogger("org.apache.kafka.clients.NetworkClient").warn("Kafka's WARN is");

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines(out)) {
            events.add(parse(line));
        }
        assertThat(events).extracting(event -> event.get("formattedMessage").asText())
                .containsExactly("refused 2 record(s):\n\"bad\" json", "started", "Kafka's WARN is");
        JsonNode first = events.get(0);
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("loggerName").asText()).isEqualTo("dev.tally.processor.DeadLetters");
        assertThat(first.get("threadName").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.get("timestamp").asLong()).isPositive();
        assertThat(first.get("throwable").get("className").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.get("throwable").get("message").asText()).isEqualTo("boom");
        assertThat(first.has("arguments")).as("the message is written filled in, once").isFalse();
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = Json.mapper().readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            return node;
        } catch (IOException e) {
            throw new AssertionError("not a line of JSON: " + line, e);
        }
    }

    @Test
    void shouldWriteDateTimeThreadLevelAndLoggerInPlainLinesByDefault() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = configured(Map.of(), out);

        context.getLogger("dev.tally.app.TallyMain").info("started");
        context.getLogger("org.apache.kafka.clients.NetworkClient").info("Kafka's INFO is not written");

        assertThat(lines(out)).singleElement().asString().matches(
                "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO  \\[" + Thread.currentThread().getName()
                        + "\\] dev\\.tally\\.app\\.TallyMain - started");
    }

    @Test
    void shouldRefuseALogFormatItDoesNotKnow() {
        assertThat(LogFormat.fromEnv(Map.of("TALLY_LOG_FORMAT", " JSON "))).isEqualTo("json");
        assertThatThrownBy(() -> LogFormat.fromEnv(Map.of("TALLY_LOG_FORMAT", "xml")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain or json");
    }
}
