package io.javadl.board;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * A chart that grows while code runs: each {@link #add} appends a point and, in a notebook, redraws the one
 * picture in place, so that a training loop shows its curves as they form. The executed notebook (and its HTML
 * export) keeps the last picture. Outside Jupyter it only collects the points; {@link #toChart()} draws them.
 *
 * <pre>{@code
 * LiveChart curves = new LiveChart(LinePlot.titled("Loss").xAxis("epoch").yAxis("loss"));
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     ...
 *     curves.add("train", epoch, trainLoss);
 *     curves.add("test", epoch, testLoss);
 * }
 * }</pre>
 */
public final class LiveChart {

    private final LinePlot template;
    private final Display display;
    private final Map<String, Points> series = new LinkedHashMap<>();
    private String displayId;

    /**
     * Draws into the current notebook, if there is one.
     *
     * @param template the titles and size; its series come first
     */
    public LiveChart(LinePlot template) {
        this(template, Displays.current().orElse(null));
    }

    LiveChart(LinePlot template, Display display) {
        this.template = template;
        this.display = display;
    }

    /**
     * Appends a point to a series (created on first use) and redraws the chart in the notebook.
     *
     * @param name the series
     * @param x its next x value
     * @param y its next y value
     */
    public synchronized void add(String name, double x, double y) {
        series.computeIfAbsent(name, n -> new Points()).add(x, y);
        if (display == null) {
            return;
        }
        XYChart chart = toChart();
        if (displayId == null) {
            displayId = display.show(chart);
        } else {
            display.update(displayId, chart);
        }
    }

    /** Draws the points so far. */
    public synchronized XYChart toChart() {
        LinePlot plot = template;
        for (Map.Entry<String, Points> entry : series.entrySet()) {
            plot = plot.series(entry.getKey(), entry.getValue().x(), entry.getValue().y());
        }
        return plot.toChart();
    }

    /** A growing list of points. */
    private static final class Points {
        private double[] x = new double[8];
        private double[] y = new double[8];
        private int size;

        void add(double px, double py) {
            if (size == x.length) {
                x = Arrays.copyOf(x, 2 * size);
                y = Arrays.copyOf(y, 2 * size);
            }
            x[size] = px;
            y[size] = py;
            size++;
        }

        double[] x() {
            return Arrays.copyOf(x, size);
        }

        double[] y() {
            return Arrays.copyOf(y, size);
        }
    }
}
