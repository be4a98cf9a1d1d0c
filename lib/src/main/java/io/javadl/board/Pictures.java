package io.javadl.board;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.knowm.xchart.internal.chartpart.Chart;

/** The picture a javadl notebook shows for a value: an image as it is, a chart drawn sharp for dense screens. */
public final class Pictures {

    /** How many times its size a chart is drawn; it is displayed at its size, which keeps lines and text sharp. */
    public static final int CHART_SCALE = 2;

    private Pictures() {}

    /**
     * Returns the picture of a value, or null when the value is not a picture.
     *
     * @param value a {@link BufferedImage}, an XChart {@link Chart}, or anything else
     * @return the image itself, the chart drawn by {@link #draw}, or null
     */
    public static BufferedImage of(Object value) {
        if (value instanceof BufferedImage image) {
            return image;
        }
        if (value instanceof Chart<?, ?> chart) {
            return draw(chart);
        }
        return null;
    }

    /**
     * Draws a chart at {@link #CHART_SCALE} times its width and height, antialiased.
     *
     * @param chart any XChart chart
     * @return a new ARGB image
     */
    public static BufferedImage draw(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(
                chart.getWidth() * CHART_SCALE, chart.getHeight() * CHART_SCALE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.scale(CHART_SCALE, CHART_SCALE);
            chart.paint(graphics, chart.getWidth(), chart.getHeight());
        } finally {
            graphics.dispose();
        }
        return image;
    }
}
