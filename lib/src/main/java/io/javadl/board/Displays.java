package io.javadl.board;

import java.util.Optional;

/** The {@link Display} of the notebook this code runs in, if any. */
public final class Displays {

    private static volatile Display current;

    private Displays() {}

    /**
     * Installs the notebook's display; the kernel extension calls this when the kernel starts.
     *
     * @param display what shows pictures in the running cell
     */
    public static void install(Display display) {
        current = display;
    }

    /**
     * Removes {@code display} if it is the one installed.
     *
     * @param display the display installed earlier
     */
    public static void uninstall(Display display) {
        if (current == display) {
            current = null;
        }
    }

    /** Returns the notebook's display, or nothing outside Jupyter. */
    public static Optional<Display> current() {
        return Optional.ofNullable(current);
    }
}
