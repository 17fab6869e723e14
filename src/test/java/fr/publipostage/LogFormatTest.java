package fr.publipostage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** logback.xml as shipped: one line per event, the request id and the admin, JSON when asked. */
class LogFormatTest {
    private static Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.putProperty(Setting.LOG_FORMAT.envName, format);
        JoranConfigurator c = new JoranConfigurator();
        c.setContext(context);
        c.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender(format);
        assertThat(appender).as("root writes to the %s appender", format).isNotNull();
        assertThat(context.getLogger("org.apache.pdfbox").getEffectiveLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("org.apache.ibatis").getEffectiveLevel()).isEqualTo(Level.WARN);
        return appender.getEncoder();
    }

    private static LoggingEvent event() {
        LoggerContext context = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", context.getLogger("fr.publipostage.mailing.CampaignWorker"), Level.WARN,
                "campaign {} paused:\nline two", new IllegalStateException("boom\nsecond line"), new Object[] {7});
        e.setMDCPropertyMap(Map.of("requestId", "5f2a9c0e1b3d4a6f", "admin", "admin.0330001a"));
        return e;
    }

    @Test
    void jsonIsOneObjectPerLineWithRequestIdAndAdmin() throws Exception {
        String line = new String(encoder("json").encode(event()), StandardCharsets.UTF_8);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("message").asText()).isEqualTo("campaign 7 paused:\nline two");
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger_name").asText()).isEqualTo("fr.publipostage.mailing.CampaignWorker");
        assertThat(json.get("requestId").asText()).isEqualTo("5f2a9c0e1b3d4a6f");
        assertThat(json.get("admin").asText()).isEqualTo("admin.0330001a");
        assertThat(json.get("stack_trace").asText()).contains("IllegalStateException");
        assertThat(json.has("@timestamp")).isTrue();
    }

    @Test
    void textIsOneLineWithRequestIdAndAdmin() throws Exception {
        String line = new String(encoder("text").encode(event()), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n").doesNotContain("\r");
        assertThat(line).contains("WARN CampaignWorker req=5f2a9c0e1b3d4a6f admin=admin.0330001a - campaign 7 paused: line two | java.lang.IllegalStateException")
                .contains("IllegalStateException: boom second line");
        LoggingEvent bare = new LoggingEvent("x", new LoggerContext().getLogger("fr.publipostage.App"), Level.INFO, "started", null, null);
        bare.setMDCPropertyMap(Map.of());
        assertThat(new String(encoder("text").encode(bare), StandardCharsets.UTF_8)).endsWith("INFO App - started\n").doesNotContain("req=");
    }
}
