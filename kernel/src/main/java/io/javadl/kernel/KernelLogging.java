package io.javadl.kernel;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the log records of DJL and the other bundled libraries out of the notebook.
 *
 * <p>The libraries log through SLF4J, which the {@code slf4j-jdk14} provider on the kernel's classpath hands
 * to {@code java.util.logging}. JUL's console handler writes to the {@code System.err} that existed when it
 * was created. JJava swaps {@code System.err} for the notebook's stream while a cell runs, so a handler created
 * during a cell would print into the cell. {@link #keepOutOfNotebook()} runs at kernel start, while
 * {@code System.err} is still the kernel process's own: records then go to the kernel's log (the terminal
 * that runs Jupyter), never into a cell.
 *
 * <p>DJL's level defaults to {@code WARNING}, which hides its start-up chatter ("Number of inter-op threads",
 * ...). The environment variable {@code JAVADL_LOG_LEVEL} (a {@link Level} name such as {@code INFO} or
 * {@code FINE}) sets it for debugging.
 */
final class KernelLogging {

    static final String LEVEL_VARIABLE = "JAVADL_LOG_LEVEL";

    /** Held here because JUL keeps loggers only weakly: a collected logger would forget its level. */
    private static final Logger DJL = Logger.getLogger("ai.djl");

    private KernelLogging() {}

    /**
     * Creates JUL's root handlers now, bound to the kernel's own stderr, and sets DJL's level. A level finer
     * than the handlers' own is passed on to them, so that {@code JAVADL_LOG_LEVEL=FINE} really shows FINE.
     */
    static void keepOutOfNotebook() {
        keepOutOfNotebook(levelFrom(System.getenv(LEVEL_VARIABLE)));
    }

    /** {@link #keepOutOfNotebook()} with DJL's level given. */
    static void keepOutOfNotebook(Level level) {
        DJL.setLevel(level);
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler.getLevel().intValue() > level.intValue()) {
                handler.setLevel(level);
            }
        }
    }

    /**
     * Parses a {@code JAVADL_LOG_LEVEL} value.
     *
     * @param value a JUL level name or number, case-insensitive, or {@code null}
     * @return that level, or {@code WARNING} when the value is missing or not a level
     */
    static Level levelFrom(String value) {
        if (value == null || value.isBlank()) {
            return Level.WARNING;
        }
        try {
            return Level.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            Logger.getLogger(KernelLogging.class.getName())
                    .warning(LEVEL_VARIABLE + "='" + value + "' is not a log level (try WARNING, INFO or FINE); "
                            + "using WARNING");
            return Level.WARNING;
        }
    }
}
