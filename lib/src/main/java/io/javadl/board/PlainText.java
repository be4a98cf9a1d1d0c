package io.javadl.board;

import ai.djl.ndarray.NDArray;
import io.javadl.core.TensorFormat;
import java.awt.image.BufferedImage;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The text a javadl notebook shows for a value (its {@code text/plain}): an {@link NDArray} as PyTorch prints a
 * tensor, a chart or an image as a one-line description of the picture, anything else as
 * {@link String#valueOf(Object)}, as JJava does. The kernel's renderers and a notebook exported as a program
 * ({@link NotebookOutput}) both use it, so that the two print the same.
 */
public final class PlainText {

    private PlainText() {}

    /**
     * Returns the text a notebook shows for a value.
     *
     * @param value any value, or null
     * @return one or more lines, without a line break at the end
     */
    public static String of(Object value) {
        if (value instanceof NDArray array) {
            return TensorFormat.format(array);
        }
        if (value instanceof Chart<?, ?> chart) {
            return describe(chart);
        }
        if (value instanceof BufferedImage image) {
            return describe(image);
        }
        return String.valueOf(value);
    }

    /**
     * Describes a chart in a line, for front ends and exports that show no images: its type, title and size, and
     * for an {@link XYChart} how many points each series has, e.g.
     * {@code <XYChart 'loss', 400x300: train (3 points), test (1 point)>}.
     *
     * @param chart any XChart chart
     * @return the description
     */
    public static String describe(Chart<?, ?> chart) {
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "" : " '" + chart.getTitle() + "'";
        String series = "";
        if (chart instanceof XYChart xy && !xy.getSeriesCollection().isEmpty()) {
            series = xy.getSeriesCollection().stream()
                    .map(s -> s.getName() + " (" + s.getXData().length
                            + (s.getXData().length == 1 ? " point)" : " points)"))
                    .collect(Collectors.joining(", ", ": ", ""));
        }
        return "<" + chart.getClass().getSimpleName() + title + ", " + chart.getWidth() + "x" + chart.getHeight()
                + series + ">";
    }

    /**
     * Describes an image by its size, {@code <image 274x274>}, instead of its {@code toString()}, a line of
     * colour-model internals.
     *
     * @param image any image
     * @return the description
     */
    public static String describe(BufferedImage image) {
        return "<image " + image.getWidth() + "x" + image.getHeight() + ">";
    }
}
