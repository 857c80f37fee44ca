package io.stackwire.controller.cli;

import io.stackwire.controller.log.Logging;
import io.stackwire.controller.log.Logging.LogFormat;
import io.stackwire.controller.log.Logging.LogLevel;
import java.util.Map;
import picocli.CommandLine.Option;

/** --log-level and --log-format of the long-running command; the environment variables are the defaults. */
final class LogOptions {

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "error, warn, info (default), debug or trace; libraries stay at warnings."
                    + " Default: $" + Logging.LEVEL_ENV + ".")
    String level;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per line with timestamp, level, loggerName,"
                    + " formattedMessage and the event's fields (kvpList). Default: $" + Logging.FORMAT_ENV + ".")
    String format;

    /** The options over the environment's settings; throws with what to do when a value is not known. */
    Logging.Settings resolve(Map<String, String> env) {
        Logging.Settings fromEnv = Logging.Settings.from(env);
        LogLevel l = fromEnv.level();
        LogFormat f = fromEnv.format();
        if (level != null) {
            l = LogLevel.parse(level);
            if (l == null) {
                throw new IllegalArgumentException("--log-level " + level + " is not a log level; use error, warn, info, debug or trace");
            }
        }
        if (format != null) {
            f = LogFormat.parse(format);
            if (f == null) {
                throw new IllegalArgumentException("--log-format " + format + " is not a log format; use text or json");
            }
        }
        if (fromEnv.problem() != null && (fromEnv.problem().startsWith(Logging.LEVEL_ENV) ? level == null : format == null)) {
            throw new IllegalArgumentException(fromEnv.problem());
        }
        return new Logging.Settings(l, f, null);
    }

    /** Sets logging up as resolved; call before anything logs that should obey it. */
    void apply(Map<String, String> env) {
        Logging.Settings s = resolve(env);
        Logging.configure(s.level(), s.format());
    }
}
