package io.javadl.board;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The {@link Display} of a program: what a notebook would show goes to a console and to PNG files. Each value's
 * text ({@link PlainText}) is printed; a picture ({@link Pictures}) is also written to the next
 * {@code figure-NN.png} of a folder, whose path follows its text in parentheses. An {@link #update} rewrites that
 * file (a {@link LiveChart}'s last state is what stays), or prints the new text of a value that is no picture.
 */
public final class FileDisplay implements Display {

    private final Path folder;
    private final PrintStream out;
    private final Map<String, Path> files = new HashMap<>();
    private int shown;
    private int figures;

    /**
     * A display that prints to {@code out} and writes pictures into {@code folder}, which it creates when the
     * first picture comes.
     *
     * @param folder where the PNG files go
     * @param out where the text goes
     */
    public FileDisplay(Path folder, PrintStream out) {
        this.folder = folder;
        this.out = out;
    }

    /**
     * Prints a value's text and writes its picture, if it is one.
     *
     * @param value a picture or any other value
     * @return an id for {@link #update}
     * @throws UncheckedIOException if the picture cannot be written; the message names the file
     */
    @Override
    public synchronized String show(Object value) {
        String id = Integer.toString(++shown);
        BufferedImage picture = Pictures.of(value);
        if (picture == null) {
            out.println(PlainText.of(value));
            return id;
        }
        Path file = folder.resolve(String.format("figure-%02d.png", ++figures));
        write(picture, file);
        files.put(id, file);
        out.println(PlainText.of(value) + " (" + file + ")");
        return id;
    }

    /**
     * Rewrites the file of a picture shown before, or prints the new text of a value that is no picture.
     *
     * @param id what {@link #show} returned
     * @param value the new picture or text
     */
    @Override
    public synchronized void update(String id, Object value) {
        BufferedImage picture = Pictures.of(value);
        Path file = files.get(id);
        if (picture != null && file != null) {
            write(picture, file);
        } else {
            out.println(PlainText.of(value));
        }
    }

    /** Writes a PNG next to its file and then moves it there, so that a reader never sees half a picture. */
    private static void write(BufferedImage picture, Path file) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(picture, "png", partial.toFile())) {
                throw new IOException("no PNG writer for this image");
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the picture " + file.toAbsolutePath() + ": " + e.getMessage(),
                    e);
        }
    }
}
