package io.stackwire.controller.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The log setup, in code rather than logback.xml (no XML parsing on start-up): stackwire's own
 * loggers at the chosen level, libraries (docker-java, JGit, Quartz, sshd) at warnings, one line
 * per event on stderr, as text or as JSON (logback's own {@link JsonEncoder}).
 *
 * <p>logback finds this class through {@code META-INF/services} the first time anything logs, and
 * takes the level and format from {@code STACKWIRE_LOG_LEVEL} / {@code STACKWIRE_LOG_FORMAT};
 * {@code stackwire run} calls {@link #configure} again with its options. Commands that never log
 * (--help, validate) never start logback at all.
 */
public final class Logging extends ContextAwareBase implements Configurator {

    public static final String LEVEL_ENV = "STACKWIRE_LOG_LEVEL";
    public static final String FORMAT_ENV = "STACKWIRE_LOG_FORMAT";
    /** The parent of every stackwire logger ({@code io.stackwire.loop}, {@code io.stackwire.lease}, ...). */
    static final String OURS = "io.stackwire";
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} [%level] %logger{0} - %msg%n";

    public enum LogLevel {
        ERROR(Level.ERROR), WARN(Level.WARN), INFO(Level.INFO), DEBUG(Level.DEBUG), TRACE(Level.TRACE);

        final Level level;

        LogLevel(Level level) {
            this.level = level;
        }

        /** error, warn, info, debug or trace, any case; null for anything else. */
        public static LogLevel parse(String s) {
            for (LogLevel l : values()) {
                if (l.name().equalsIgnoreCase(s.strip())) {
                    return l;
                }
            }
            return null;
        }
    }

    public enum LogFormat {
        TEXT, JSON;

        /** text or json, any case; null for anything else. */
        public static LogFormat parse(String s) {
            for (LogFormat f : values()) {
                if (f.name().equalsIgnoreCase(s.strip())) {
                    return f;
                }
            }
            return null;
        }
    }

    /** What the environment asks for, or why it cannot be read. */
    public record Settings(LogLevel level, LogFormat format, String problem) {

        /** From {@code STACKWIRE_LOG_LEVEL} and {@code STACKWIRE_LOG_FORMAT}; info and text when unset. */
        public static Settings from(Map<String, String> env) {
            LogLevel level = LogLevel.INFO;
            LogFormat format = LogFormat.TEXT;
            String problem = null;
            String l = env.get(LEVEL_ENV);
            if (l != null && !l.isBlank()) {
                LogLevel parsed = LogLevel.parse(l);
                if (parsed == null) {
                    problem = LEVEL_ENV + "=" + l + " is not a log level; use error, warn, info, debug or trace";
                } else {
                    level = parsed;
                }
            }
            String f = env.get(FORMAT_ENV);
            if (f != null && !f.isBlank()) {
                LogFormat parsed = LogFormat.parse(f);
                if (parsed == null) {
                    problem = FORMAT_ENV + "=" + f + " is not a log format; use text or json";
                } else {
                    format = parsed;
                }
            }
            return new Settings(level, format, problem);
        }
    }

    /** Called by logback on first use. */
    public Logging() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Settings s = Settings.from(System.getenv());
        setUp(context, s.level(), s.format());
        if (s.problem() != null) {
            context.getLogger(OURS).warn("{}; logging at {} as {}", s.problem(),
                    s.level().name().toLowerCase(Locale.ROOT), s.format().name().toLowerCase(Locale.ROOT));
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Replaces the whole setup: stackwire's loggers at {@code level}, everything on stderr as {@code format}. */
    public static void configure(LogLevel level, LogFormat format) {
        setUp((LoggerContext) LoggerFactory.getILoggerFactory(), level, format);
    }

    private static void setUp(LoggerContext context, LogLevel level, LogFormat format) {
        context.reset();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("stderr");
        console.setTarget("System.err");
        console.setEncoder(encoder(context, format));
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(console);
        // Libraries speak up for warnings only (docker-java's retry chatter is INFO), or not at all at error.
        root.setLevel(level == LogLevel.ERROR ? Level.ERROR : Level.WARN);
        context.getLogger(OURS).setLevel(level.level);
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, LogFormat format) {
        if (format == LogFormat.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            // One object per line: timestamp (Unix ms), level, loggerName, formattedMessage, kvpList
            // (the event's structured fields) and throwable; nothing that repeats on every line.
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithThreadName(false);
            json.setWithContext(false);
            json.setWithMarkers(false);
            json.setWithMDC(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }
}
