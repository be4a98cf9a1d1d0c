package io.javadl.data;

/**
 * A dataset that cannot be loaded or fetched: missing, truncated or corrupt files, a failed download, an
 * unsafe archive. The message says what is wrong, with the path, and what to do about it.
 *
 * <p>Its stack trace and its cause's are whole, as for any exception. In a notebook the javadl kernel shows it
 * with the message and the cell's own lines only, without the frames of this library, DJL and the JDK: that
 * shaping is the kernel's, and a program or a test sees the whole trace.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message for people.
     *
     * @param message what is wrong and what to do
     */
    public DatasetException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message for people and the low-level cause.
     *
     * @param message what is wrong and what to do; it should already say what the cause means
     * @param cause the error underneath
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
