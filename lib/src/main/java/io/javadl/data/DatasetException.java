package io.javadl.data;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A dataset that cannot be loaded or fetched: missing, truncated or corrupt files, a failed download, an
 * unsafe archive. The message says what is wrong, with the path, and what to do about it.
 *
 * <p>It is a message for people, not a bug report, so its stack trace (and that of its cause) keeps only the
 * caller's frames: the frames inside this library, DJL and the JDK are dropped. In a notebook the error then
 * shows the message and the cell line that asked for the data, not a wall of internals.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private static final String[] INTERNAL_PACKAGES = {
        "io.javadl.", "ai.djl.", "java.", "javax.", "jdk.", "sun.", "com.sun."
    };

    /**
     * Creates an exception with a message for people.
     *
     * @param message what is wrong and what to do
     */
    public DatasetException(String message) {
        super(message);
        dropInternalFrames(this);
    }

    /**
     * Creates an exception with a message for people and the low-level cause, whose own frames are dropped too.
     *
     * @param message what is wrong and what to do; it should already say what the cause means
     * @param cause the error underneath
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
        dropInternalFrames(this);
    }

    private static void dropInternalFrames(Throwable top) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = top; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            t.setStackTrace(Arrays.stream(t.getStackTrace())
                    .filter(frame -> !isInternal(frame.getClassName()))
                    .toArray(StackTraceElement[]::new));
        }
    }

    private static boolean isInternal(String className) {
        for (String prefix : INTERNAL_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
