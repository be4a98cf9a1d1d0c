package io.javadl.kernel;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Shows an XChart chart (any {@link Chart}: XY, category, pie, ...) as a PNG, so that a cell ending in a
 * chart shows the picture. It is drawn at {@value #SCALE}x its size and displayed at its size, which keeps
 * lines and text sharp on high-density screens. The PNG is embedded in the notebook: it needs nothing at
 * view time and survives HTML export.
 */
final class ChartRenderer {

    static final int SCALE = 2;

    private ChartRenderer() {}

    /** Registers the {@code image/png} rendering of XChart charts with a kernel's renderer. */
    static void register(Renderer renderer) {
        renderer.createRegistration(Chart.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register(ChartRenderer::render);
    }

    private static void render(Chart<?, ?> chart, RenderContext context) {
        if (!context.wantsDataRenderedAs(MIMEType.IMAGE_PNG)) {
            return;
        }
        Image.renderImage(draw(chart), context);
        context.getOutputContainer().putMetaData(MIMEType.IMAGE_PNG,
                Map.of("width", chart.getWidth(), "height", chart.getHeight()));
        context.getOutputContainer().putText(describe(chart));
    }

    /** Draws a chart at {@link #SCALE} times its width and height. */
    static BufferedImage draw(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(
                chart.getWidth() * SCALE, chart.getHeight() * SCALE, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.scale(SCALE, SCALE);
            chart.paint(graphics, chart.getWidth(), chart.getHeight());
        } finally {
            graphics.dispose();
        }
        return image;
    }

    /**
     * The {@code text/plain} stand-in, for front ends and exports that show no images; for an {@link XYChart}
     * it says how many points each series has.
     */
    static String describe(Chart<?, ?> chart) {
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
}
