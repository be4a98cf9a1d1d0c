package io.javadl.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Every figure helper, rendered headless at the size asked for, as XChart's own demo tests do. */
class LinePlotTest {

    private static BufferedImage render(XYChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    @Test
    void lossCurvesOfSeveralSeries() {
        XYChart chart = LinePlot.titled("Loss").xAxis("epoch").yAxis("loss")
                .series("train", new double[] {2.3, 1.9, 1.7}).series("test", new double[] {2.2, 2.0, 1.9})
                .size(640, 360).toChart();

        BufferedImage image = render(chart);
        assertEquals(640, image.getWidth());
        assertEquals(360, image.getHeight());
        assertEquals("epoch", chart.getXAxisTitle());
        XYSeries train = chart.getSeries("train");
        assertArrayEquals(new double[] {1, 2, 3}, train.getXData());
        assertArrayEquals(new double[] {2.3, 1.9, 1.7}, train.getYData());
    }

    @Test
    void gradientNormsOnALogAxis() {
        XYChart chart = LinePlot.titled("Gradient norm per layer").xAxis("layer").yAxis("norm").logY()
                .series("sigmoid", new double[] {1e-9, 1e-6, 1e-3}).series("relu", new double[] {0.1, 0.2, 0.3})
                .toChart();

        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(600, render(chart).getWidth());
    }

    @Test
    void aLogAxisNamesTheValueItCannotDraw() {
        LinePlot plot = LinePlot.titled("norms").logY().series("layer", new double[] {1, 2}, new double[] {0.5, 0});

        IllegalStateException e = assertThrows(IllegalStateException.class, plot::toChart);
        assertEquals("A log y axis needs values above 0, but series 'layer' has 0.0 at x = 2.0", e.getMessage());
    }

    @Test
    void functionsAndTheirDerivatives() {
        XYChart chart = LinePlot.titled("ReLU").xAxis("x")
                .function("relu(x)", -4, 4, x -> Math.max(0, x))
                .function("relu'(x)", -4, 4, x -> x > 0 ? 1 : 0)
                .toChart();

        XYSeries relu = chart.getSeries("relu(x)");
        assertEquals(LinePlot.FUNCTION_POINTS, relu.getXData().length);
        assertEquals(-4, relu.getXData()[0]);
        assertEquals(4, relu.getXData()[LinePlot.FUNCTION_POINTS - 1]);
        assertEquals(4, relu.getYData()[LinePlot.FUNCTION_POINTS - 1]);
        assertEquals(0, chart.getSeries("relu'(x)").getYData()[0]);
        assertEquals(400, render(chart).getHeight());
    }

    @Test
    void mistakesAreRefused() {
        LinePlot plot = LinePlot.titled("t").series("a", new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> plot.series("a", new double[] {2}));
        assertThrows(IllegalArgumentException.class, () -> plot.series("b", new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> plot.function("f", 1, 1, x -> x));
        assertThrows(IllegalArgumentException.class, () -> plot.size(10, 400));
        assertThrows(IllegalStateException.class, () -> LinePlot.titled("empty").toChart());
    }
}
