package io.javadl.data;

/**
 * A dataset that cannot be loaded or fetched: missing, truncated or corrupt files, a failed download, an
 * unsafe archive. The message says what is wrong, with the path, and what to do about it.
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
     * @param message what is wrong and what to do
     * @param cause the error underneath
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
