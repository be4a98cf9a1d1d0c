package io.javadl.board;

import java.nio.file.Path;

/**
 * What a javadl notebook's cells call without a class name, for a notebook exported as a program ({@code make
 * export}): {@code display} and {@code updateDisplay} as the kernel (JJava) has them, and {@link #showResult} for
 * the value a cell ends with, which the kernel shows by itself. Text goes to {@code System.out}, pictures to PNG
 * files ({@link FileDisplay}), and {@link LiveChart}s and {@link SummaryWriter}'s pictures go the same way once
 * {@link #saveFiguresIn} has run. The exported code imports these methods with {@code import static}.
 */
public final class NotebookOutput {

    private static final Path DEFAULT_FOLDER = Path.of("figures");

    private static FileDisplay display;

    private NotebookOutput() {}

    /**
     * Sends what the notebook would show to {@code System.out}, and its pictures to PNG files in a folder, from now
     * on; it is also the display of {@link Displays}, which {@link LiveChart} and {@link SummaryWriter} use.
     *
     * @param folder where the pictures go, {@code figure-01.png} on; created when the first picture comes
     */
    public static synchronized void saveFiguresIn(Path folder) {
        display = new FileDisplay(folder, System.out);
        Displays.install(display);
    }

    /**
     * Shows a value as the notebook's {@code display(value)} does: its text, and its picture as a file.
     *
     * @param value a picture, a table, an array or any other value
     * @return an id for {@link #updateDisplay}
     */
    public static String display(Object value) {
        return current().show(value);
    }

    /**
     * Shows a value as the notebook's {@code display(value, mimeTypes)} does; a program prints its text, and
     * writes its picture, whatever the types asked for.
     *
     * @param value a picture, a table, an array or any other value
     * @param mimeTypes the types the notebook asks for; a program has only text and PNG files
     * @return an id for {@link #updateDisplay}
     */
    public static String display(Object value, String... mimeTypes) {
        return display(value);
    }

    /**
     * Replaces what {@link #display} showed, as the notebook's {@code updateDisplay(id, value)} does.
     *
     * @param id what {@link #display} returned
     * @param value the new value
     */
    public static void updateDisplay(String id, Object value) {
        current().update(id, value);
    }

    /**
     * Replaces what {@link #display} showed, as the notebook's {@code updateDisplay(id, value, mimeTypes)} does.
     *
     * @param id what {@link #display} returned
     * @param value the new value
     * @param mimeTypes the types the notebook asks for; a program has only text and PNG files
     */
    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        updateDisplay(id, value);
    }

    /**
     * Shows the value a cell ends with, as the kernel does: nothing for null or for the console's own stream
     * (the value of {@code System.out.printf(...)}), otherwise as {@link #display}.
     *
     * @param value the cell's value
     */
    public static void showResult(Object value) {
        if (value != null && value != System.out && value != System.err) {
            display(value);
        }
    }

    /**
     * Prints formatted text, as the notebook's {@code printf(format, args)} does.
     *
     * @param format a {@link java.util.Formatter} format
     * @param args its arguments
     */
    public static void printf(String format, Object... args) {
        System.out.printf(format, args);
    }

    private static synchronized FileDisplay current() {
        if (display == null) {
            saveFiguresIn(DEFAULT_FOLDER);
        }
        return display;
    }
}
