package fr.publipostage;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The log format setting ({@code PUBLIPOSTAGE_LOG_FORMAT}: text or json). logback.xml reads it from the
 * environment by itself; when it comes from the properties file, the configuration is read again with it.
 */
public final class Logging {
    private Logging() {
    }

    /**
     * @param onStandardOutput true for {@code serve}; false for the other verbs, whose standard output is
     *                         their result ({@code export --out -}, {@code template get}): their log goes
     *                         to standard error
     */
    public static void apply(Config config, boolean onStandardOutput) {
        String format = config.get(Setting.LOG_FORMAT).trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new Config.ConfigException("config.error.logFormat", Setting.LOG_FORMAT.envName, format);
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        // What logback.xml found by itself at start-up: the environment, else text; standard output.
        String atStart = System.getenv(Setting.LOG_FORMAT.envName);
        if (format.equals(atStart == null ? "text" : atStart) && onStandardOutput) return;
        URL xml = Logging.class.getResource("/logback.xml");
        if (xml == null) return;
        context.reset();
        context.putProperty(Setting.LOG_FORMAT.envName, format);
        context.putProperty("publipostage.logTarget", onStandardOutput ? "System.out" : "System.err");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(xml);
        } catch (JoranException e) {
            throw new IllegalStateException("logback.xml", e);
        }
    }
}
