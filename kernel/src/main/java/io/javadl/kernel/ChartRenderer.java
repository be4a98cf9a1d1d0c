package io.javadl.kernel;

import io.javadl.board.Pictures;
import io.javadl.board.PlainText;
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
        Image.renderImage(Pictures.draw(chart), context);
        context.getOutputContainer().putMetaData(MIMEType.IMAGE_PNG,
                Map.of("width", chart.getWidth(), "height", chart.getHeight()));
        context.getOutputContainer().putText(PlainText.describe(chart));
    }
}
