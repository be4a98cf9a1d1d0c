package io.javadl.board;

import ai.djl.ndarray.NDArray;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * PyTorch's {@code SummaryWriter} for Java: writes scalars and images to a TensorBoard event file in a log
 * folder, for {@code tensorboard --logdir <folder>}.
 *
 * <pre>{@code
 * try (SummaryWriter writer = new SummaryWriter("logs")) {
 *     writer.addImage("test_set", img, 0);       // (3, H, W), (1, H, W) or (H, W)
 *     writer.addImages("Epoch: 0", imgs, step);  // (N, 3, H, W): one grid, like make_grid
 *     writer.addScalar("loss", loss, step);
 *     writer.addFigure("sigmoid", chart, 0);    // an XChart chart, drawn as a picture
 * }
 * }</pre>
 *
 * <p>Images are {@code uint8} (0 to 255) or floats in {@code [0, 1]}; they are stored as PNG. In a notebook the
 * images are also shown below the running cell, upscaled and captioned with their tag and step: the first
 * {@value #DEFAULT_INLINE_LIMIT} of each tag, then a line saying that the rest are in TensorBoard only
 * ({@link Builder#optInline}, {@link Builder#optInlineLimit}). Outside Jupyter it only writes the file.
 *
 * <p>Every event is flushed to disk as it is written, so TensorBoard sees it at once and a crash loses at most
 * the event being written. Each writer writes its own file, so several writers may share a folder; one writer
 * may be used from several threads. Close it when done.
 */
public final class SummaryWriter implements AutoCloseable {

    public static final int DEFAULT_INLINE_LIMIT = 3;

    private static final int INLINE_MAX_WIDTH = 800;

    private final Path logDir;
    private final EventFile file;
    private final Display display;
    private final int inlineLimit;
    private final Map<String, Integer> shownPerTag = new HashMap<>();
    private boolean closed;

    /**
     * Opens a writer on {@code logDir} (created if missing), with the default settings.
     *
     * @param logDir the log folder, such as {@code "logs"}
     */
    public SummaryWriter(String logDir) {
        this(builder(Path.of(logDir)));
    }

    /**
     * Opens a writer for a log folder, with the defaults of {@link #builder(Path)}.
     *
     * @param logDir the log folder, created if missing
     */
    public SummaryWriter(Path logDir) {
        this(builder(logDir));
    }

    private SummaryWriter(Builder builder) {
        this.logDir = builder.logDir;
        this.display = builder.inline ? Displays.current().orElse(null) : null;
        this.inlineLimit = builder.inlineLimit;
        try {
            this.file = new EventFile(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("SummaryWriter cannot create an event file in " + logDir + ": " + e, e);
        }
    }

    /**
     * Returns a builder for a writer with other settings.
     *
     * @param logDir the log folder, created if missing
     * @return a builder
     */
    public static Builder builder(Path logDir) {
        return new Builder(logDir);
    }

    /** Returns the event file this writer writes. */
    public Path getFile() {
        return file.path();
    }

    /**
     * Logs a number, such as a loss, at a step.
     *
     * @param tag the series' name
     * @param value the number, stored as a float
     * @param step the step, such as the epoch or batch number
     */
    public synchronized void addScalar(String tag, double value, long step) {
        checkOpen(tag);
        write(Events.scalar(tag, (float) value, step, wallTime()));
    }

    /**
     * Logs one image at a step.
     *
     * @param tag the image's name
     * @param image {@code (3, H, W)}, {@code (1, H, W)} or {@code (H, W)}, {@code uint8} or floats in {@code [0, 1]}
     * @param step the step
     * @throws IllegalArgumentException for another shape, channel count or data type
     */
    public synchronized void addImage(String tag, NDArray image, long step) {
        checkOpen(tag);
        addPicture(tag, ImageGrid.of(Pixels.ofImage("addImage", image)), step);
    }

    /**
     * Logs a batch of images at a step, as one grid of {@value ImageGrid#DEFAULT_COLUMNS} per row (PyTorch's
     * {@code add_images}).
     *
     * @param tag the grid's name
     * @param images {@code (N, 3, H, W)} or {@code (N, 1, H, W)}, {@code uint8} or floats in {@code [0, 1]}
     * @param step the step
     * @throws IllegalArgumentException for another shape, channel count or data type
     */
    public synchronized void addImages(String tag, NDArray images, long step) {
        checkOpen(tag);
        addPicture(tag, ImageGrid.of(Pixels.ofBatch("addImages", images)), step);
    }

    /**
     * Logs a chart as a picture at a step (PyTorch's {@code add_figure}), drawn at its own size. Unlike images,
     * a figure is not shown again in the notebook: a cell shows a chart by ending with it.
     *
     * @param tag the figure's name
     * @param chart the chart to draw
     * @param step the step
     */
    public synchronized void addFigure(String tag, XYChart chart, long step) {
        checkOpen(tag);
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        write(Events.image(tag, image.getHeight(), image.getWidth(), png(image), step, wallTime()));
    }

    /** Writes what is buffered to disk (each event already is; kept for PyTorch's API). */
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            file.flush();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Flushes and closes the event file. Further calls to add methods fail; closing again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            file.close();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void checkOpen(String tag) {
        if (closed) {
            throw new IllegalStateException("This SummaryWriter (" + file.path()
                    + ") is closed; open a new one to log more");
        }
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("A TensorBoard tag cannot be empty");
        }
    }

    private void addPicture(String tag, ImageGrid grid, long step) {
        BufferedImage image = grid.toImage();
        write(Events.image(tag, image.getHeight(), image.getWidth(), png(image), step, wallTime()));
        showInline(tag, grid, image.getWidth(), step);
    }

    private void write(Proto event) {
        try {
            file.write(event);
            file.flush();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private void showInline(String tag, ImageGrid grid, int width, long step) {
        if (display == null || inlineLimit == 0) {
            return;
        }
        int shown = shownPerTag.merge(tag, 1, Integer::sum);
        if (shown <= inlineLimit) {
            int scale = Math.max(1, Math.min(4, INLINE_MAX_WIDTH / width));
            display.show(captioned(tag + "  \u00b7  step " + step, grid.scale(scale).toImage()));
        } else if (shown == inlineLimit + 1) {
            String shownAbove = inlineLimit == 1 ? "the first image of '" + tag + "' is shown above"
                    : "the first " + inlineLimit + " images of '" + tag + "' are shown above";
            display.show("SummaryWriter: " + shownAbove + "; the rest are only in the TensorBoard log " + logDir
                    + ".");
        }
    }

    private static BufferedImage captioned(String caption, BufferedImage picture) {
        int band = 22;
        BufferedImage image = new BufferedImage(Math.max(picture.getWidth(), 200), picture.getHeight() + band,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(caption, 2, 15);
            g.drawImage(picture, 0, band, null);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("SummaryWriter could not write " + file.path() + ": " + e.getMessage(), e);
    }

    /** Builds a {@link SummaryWriter} with other settings. */
    public static final class Builder {

        private final Path logDir;
        private boolean inline = true;
        private int inlineLimit = DEFAULT_INLINE_LIMIT;

        private Builder(Path logDir) {
            this.logDir = logDir;
        }

        /**
         * Shows images in the notebook too (on by default; it has no effect outside Jupyter).
         *
         * @param inline whether to show them
         * @return this builder
         */
        public Builder optInline(boolean inline) {
            this.inline = inline;
            return this;
        }

        /**
         * Sets how many images of each tag are shown in the notebook, so that a loop that logs every step does
         * not flood the page (default {@value SummaryWriter#DEFAULT_INLINE_LIMIT}).
         *
         * @param inlineLimit 0 or more; 0 shows none
         * @return this builder
         */
        public Builder optInlineLimit(int inlineLimit) {
            if (inlineLimit < 0) {
                throw new IllegalArgumentException("The inline limit cannot be negative: " + inlineLimit);
            }
            this.inlineLimit = inlineLimit;
            return this;
        }

        /** Opens the writer. */
        public SummaryWriter build() {
            return new SummaryWriter(this);
        }
    }
}
