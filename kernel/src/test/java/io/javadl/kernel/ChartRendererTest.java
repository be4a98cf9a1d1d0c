package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/** Renders one chart of each kind, headless, and looks at the pixels. */
class ChartRendererTest {

    private static final Color SERIES_COLOR = new Color(200, 30, 30);

    static Stream<Chart<?, ?>> charts() {
        XYChart line = new XYChartBuilder().width(400).height(300).title("loss").build();
        XYSeries train = line.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1.5});
        train.setLineColor(SERIES_COLOR);
        train.setMarkerColor(SERIES_COLOR);
        CategoryChart bars = new CategoryChartBuilder().width(320).height(240).build();
        bars.addSeries("count", List.of("cat", "dog"), List.of(3, 5)).setFillColor(SERIES_COLOR);
        PieChart pie = new PieChartBuilder().width(200).height(200).title("").build();
        pie.addSeries("all", 1).setFillColor(SERIES_COLOR);
        return Stream.of(line, bars, pie);
    }

    private static BufferedImage decode(Object base64) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode((String) base64)));
    }

    @ParameterizedTest
    @MethodSource("charts")
    void rendersAPngAtTwiceTheSizeShownAtTheSize(Chart<?, ?> chart) throws IOException {
        Renderer renderer = new Renderer();
        ChartRenderer.register(renderer);

        DisplayData shown = renderer.render(chart);

        BufferedImage png = decode(shown.getData(MIMEType.IMAGE_PNG));
        assertEquals(2 * chart.getWidth(), png.getWidth());
        assertEquals(2 * chart.getHeight(), png.getHeight());
        assertTrue(((String) shown.getData(MIMEType.TEXT_PLAIN)).startsWith("<" + chart.getClass().getSimpleName()));
    }

    @ParameterizedTest
    @MethodSource("charts")
    void drawsTheSeries(Chart<?, ?> chart) {
        BufferedImage image = ChartRenderer.draw(chart);

        long seriesPixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (SERIES_COLOR.getRGB() & 0xffffff)) {
                    seriesPixels++;
                }
            }
        }
        assertTrue(seriesPixels > 100, "only " + seriesPixels + " pixels of the series' colour");
    }

    @Test
    void describesItselfInPlainText() {
        XYChart titled = new XYChartBuilder().width(400).height(300).title("loss").build();
        PieChart untitled = new PieChartBuilder().width(200).height(100).title("").build();

        assertEquals("<XYChart 'loss', 400x300>", ChartRenderer.describe(titled));
        assertEquals("<PieChart, 200x100>", ChartRenderer.describe(untitled));
        titled.addSeries("train", new double[] {1, 2, 3}, new double[] {3, 2, 1});
        titled.addSeries("test", new double[] {1}, new double[] {3});
        assertEquals("<XYChart 'loss', 400x300: train (3 points), test (1 point)>", ChartRenderer.describe(titled));
    }
}
