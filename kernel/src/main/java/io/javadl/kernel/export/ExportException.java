package io.javadl.kernel.export;

/** A notebook that cannot be exported, with a message that names the notebook, the cell and what to change. */
final class ExportException extends RuntimeException {

    ExportException(String message) {
        super(message);
    }

    ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
