package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.Stream;
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

/** Draws one chart of each kind, headless, and looks at the pixels. */
class PicturesTest {

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

    @ParameterizedTest
    @MethodSource("charts")
    void drawsTheSeriesAtTwiceTheSize(Chart<?, ?> chart) {
        BufferedImage image = Pictures.of(chart);

        assertEquals(2 * chart.getWidth(), image.getWidth());
        assertEquals(2 * chart.getHeight(), image.getHeight());
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
    void anImageIsItsOwnPictureAndOtherValuesHaveNone() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);

        assertSame(image, Pictures.of(image));
        assertNull(Pictures.of("text"));
        assertNull(Pictures.of(null));
    }
}
