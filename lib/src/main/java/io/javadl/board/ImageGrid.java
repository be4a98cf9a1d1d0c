package io.javadl.board;

import ai.djl.ndarray.NDArray;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;

/**
 * Lays images out in a grid, as {@code torchvision.utils.make_grid} does: {@value #DEFAULT_COLUMNS} per row,
 * {@value #DEFAULT_PADDING} black pixels around each, then optionally a label under each image and an
 * upscale, pixel for pixel, so that 32x32 images can be seen.
 *
 * <pre>{@code
 * BufferedImage picture = ImageGrid.of(imgs)          // (N, 3, H, W) or (N, 1, H, W)
 *         .labels(names).scale(4).toImage();
 * }</pre>
 *
 * <p>Images are {@code uint8} (0 to 255) or floats in {@code [0, 1]}. The settings methods return a new grid.
 */
public final class ImageGrid {

    public static final int DEFAULT_COLUMNS = 8;
    public static final int DEFAULT_PADDING = 2;

    private final Pixels pixels;
    private final int columns;
    private final int padding;
    private final int scale;
    private final List<String> labels;

    private ImageGrid(Pixels pixels, int columns, int padding, int scale, List<String> labels) {
        this.pixels = pixels;
        this.columns = columns;
        this.padding = padding;
        this.scale = scale;
        this.labels = labels;
    }

    /**
     * Starts a grid of a batch {@code (N, 3, H, W)} or {@code (N, 1, H, W)}, or of one image {@code (3, H, W)},
     * {@code (1, H, W)} or {@code (H, W)}. The pixels are read now; the array is not kept.
     *
     * @param images the images
     * @return a grid with the default settings
     * @throws IllegalArgumentException for another shape, channel count or data type
     */
    public static ImageGrid of(NDArray images) {
        Pixels pixels = images.getShape().dimension() == 4
                ? Pixels.ofBatch("ImageGrid", images) : Pixels.ofImage("ImageGrid", images);
        return new ImageGrid(pixels, DEFAULT_COLUMNS, DEFAULT_PADDING, 1, null);
    }

    static ImageGrid of(Pixels pixels) {
        return new ImageGrid(pixels, DEFAULT_COLUMNS, DEFAULT_PADDING, 1, null);
    }

    /**
     * Sets how many images go in a row (make_grid's {@code nrow}).
     *
     * @param columns images per row, at least 1
     * @return a copy of this grid with that many columns
     */
    public ImageGrid columns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("An image grid needs at least 1 column, not " + columns);
        }
        return new ImageGrid(pixels, columns, padding, scale, labels);
    }

    /**
     * Sets the gap around each image.
     *
     * @param padding black pixels (of the original images) around each image, 0 or more
     * @return a copy of this grid with that padding
     */
    public ImageGrid padding(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("The padding of an image grid cannot be negative: " + padding);
        }
        return new ImageGrid(pixels, columns, padding, scale, labels);
    }

    /**
     * Enlarges the picture, for 32 x 32 images that would be too small to see.
     *
     * @param scale how many screen pixels each image pixel becomes, in each direction, from 1 to 16
     * @return a copy of this grid at that scale
     */
    public ImageGrid scale(int scale) {
        if (scale < 1 || scale > 16) {
            throw new IllegalArgumentException("The scale of an image grid is from 1 to 16, not " + scale);
        }
        return new ImageGrid(pixels, columns, padding, scale, labels);
    }

    /**
     * Writes a label under each image.
     *
     * @param labels one label per image (class names, say)
     * @return a copy of this grid with those labels
     */
    public ImageGrid labels(List<String> labels) {
        if (labels.size() != pixels.count()) {
            throw new IllegalArgumentException("An image grid of " + pixels.count() + " images needs as many "
                    + "labels, not "
                    + labels.size());
        }
        return new ImageGrid(pixels, columns, padding, scale, List.copyOf(labels));
    }

    /** Draws the grid. A single image without labels is drawn without padding, as make_grid does. */
    public BufferedImage toImage() {
        int n = pixels.count();
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int pad = (n == 1 && labels == null ? 0 : padding) * scale;
        int tileWidth = pixels.width() * scale;
        int tileHeight = pixels.height() * scale;
        int fontSize = scale <= 2 ? 11 : scale == 3 ? 13 : 15;
        Font font = labels == null ? null : new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
        int labelHeight = font == null ? 0 : font.getSize() + 6;
        int width = cols * (tileWidth + pad) + pad;
        int height = rows * (tileHeight + labelHeight + pad) + pad;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] raster = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < n; i++) {
            int left = pad + (i % cols) * (tileWidth + pad);
            int top = pad + (i / cols) * (tileHeight + labelHeight + pad);
            for (int y = 0; y < pixels.height(); y++) {
                for (int x = 0; x < pixels.width(); x++) {
                    int rgb = pixels.rgb(i, y, x);
                    for (int dy = 0; dy < scale; dy++) {
                        int row = (top + y * scale + dy) * width + left + x * scale;
                        for (int dx = 0; dx < scale; dx++) {
                            raster[row + dx] = rgb;
                        }
                    }
                }
            }
        }
        if (labels != null) {
            drawLabels(image, font, cols, tileWidth, tileHeight, labelHeight, pad);
        }
        return image;
    }

    private void drawLabels(BufferedImage image, Font font, int cols, int tileWidth, int tileHeight, int labelHeight,
            int pad) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.WHITE);
            FontMetrics metrics = g.getFontMetrics();
            for (int i = 0; i < labels.size(); i++) {
                String label = fit(labels.get(i), metrics, tileWidth + pad);
                int left = pad + (i % cols) * (tileWidth + pad);
                int top = pad + (i / cols) * (tileHeight + labelHeight + pad) + tileHeight;
                int x = left + (tileWidth - metrics.stringWidth(label)) / 2;
                g.drawString(label, x, top + 3 + metrics.getAscent());
            }
        } finally {
            g.dispose();
        }
    }

    /** Shortens a label with an ellipsis until it fits the width. */
    private static String fit(String label, FontMetrics metrics, int width) {
        if (metrics.stringWidth(label) <= width) {
            return label;
        }
        String text = label;
        while (text.length() > 1 && metrics.stringWidth(text + "…") > width) {
            text = text.substring(0, text.length() - 1);
        }
        return text + "…";
    }
}
