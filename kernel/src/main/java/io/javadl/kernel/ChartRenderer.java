package io.javadl.kernel;

import io.javadl.board.Pictures;
import io.javadl.board.PlainText;
import java.awt.AWTError;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Shows an XChart chart (any {@link Chart}: XY, category, pie, ...) as a PNG, so that a cell ending in a
 * chart shows the picture. It is drawn at {@link Pictures#CHART_SCALE}x its size and displayed at its size, which
 * keeps lines and text sharp on high-density screens. The PNG is embedded in the notebook: it needs nothing at
 * view time and survives HTML export. Its {@code text/plain} stand-in, for front ends and exports that show no
 * images, is {@link PlainText#describe(Chart)}.
 *
 * <p>JJava renders a cell's value on its shell thread, which an {@link Error} ends: the kernel would never answer
 * again. A Java that cannot draw text (its font libraries missing, as in a slim container) fails with one, so it
 * becomes an exception that says what to install, which the notebook shows as the cell's error.
 */
final class ChartRenderer {

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
        context.getOutputContainer().putText(PlainText.describe(chart));
    }

    /**
     * Draws the chart, or throws an exception that says what this Java lacks where drawing fails with an error.
     *
     * @param chart any XChart chart
     * @return the picture, as {@link Pictures#draw(Chart)} draws it
     * @throws IllegalStateException when the Java cannot draw it, with the libraries to install
     */
    static BufferedImage draw(Chart<?, ?> chart) {
        try {
            return Pictures.draw(chart);
        } catch (LinkageError | AWTError e) {
            throw new IllegalStateException("This Java cannot draw the chart (" + e + "). Drawing text needs the "
                    + "font libraries and a font: on Debian or Ubuntu, 'apt install libfreetype6 libharfbuzz0b "
                    + "libfontconfig1 fonts-dejavu-core'.", e);
        }
    }
}
