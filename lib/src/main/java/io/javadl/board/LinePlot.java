package io.javadl.board;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line plots of one or more series, for the course's figures: loss curves, per-layer gradient norms on a log
 * axis, functions and their derivatives. Builds an XChart {@link XYChart}, which the kernel shows as a PNG.
 *
 * <pre>{@code
 * LinePlot.titled("Loss").xAxis("epoch").yAxis("loss")
 *         .series("train", trainLosses).series("test", testLosses)
 *         .toChart();
 * LinePlot.titled("ReLU").xAxis("x")
 *         .function("relu(x)", -4, 4, x -> Math.max(0, x))
 *         .function("relu'(x)", -4, 4, x -> x > 0 ? 1 : 0)
 *         .toChart();
 * }</pre>
 *
 * <p>Each method returns a new plot; a plot can serve as a template.
 */
public final class LinePlot {

    /** How many points {@link #function} draws. */
    public static final int FUNCTION_POINTS = 201;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final boolean logY;
    private final int width;
    private final int height;
    private final List<Series> series;

    private record Series(String name, double[] x, double[] y) {}

    private LinePlot(String title, String xTitle, String yTitle, boolean logY, int width, int height,
            List<Series> series) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.logY = logY;
        this.width = width;
        this.height = height;
        this.series = List.copyOf(series);
    }

    /**
     * Starts a plot, 600 x 400 pixels, with no series yet.
     *
     * @param title the chart's title
     * @return the plot
     */
    public static LinePlot titled(String title) {
        return new LinePlot(title, "", "", false, 600, 400, List.of());
    }

    /**
     * Names the x axis.
     *
     * @param title the x axis' title
     * @return a copy of this plot with that title
     */
    public LinePlot xAxis(String title) {
        return new LinePlot(this.title, title, yTitle, logY, width, height, series);
    }

    /**
     * Names the y axis.
     *
     * @param title the y axis' title
     * @return a copy of this plot with that title
     */
    public LinePlot yAxis(String title) {
        return new LinePlot(this.title, xTitle, title, logY, width, height, series);
    }

    /** Makes the y axis logarithmic; every y value must then be above zero. */
    public LinePlot logY() {
        return new LinePlot(title, xTitle, yTitle, true, width, height, series);
    }

    /**
     * Sets the picture's size.
     *
     * @param width the chart's width in pixels, at least 50
     * @param height its height in pixels, at least 50
     * @return a copy of this plot of that size
     */
    public LinePlot size(int width, int height) {
        if (width < 50 || height < 50) {
            throw new IllegalArgumentException("A chart needs at least 50 x 50 pixels, not " + width + " x " + height);
        }
        return new LinePlot(title, xTitle, yTitle, logY, width, height, series);
    }

    /**
     * Adds a series of points.
     *
     * @param name the series' name, shown in the legend; unique in the plot
     * @param x the x values
     * @param y the y values, as many as x values
     * @return a copy of this plot with the series
     */
    public LinePlot series(String name, double[] x, double[] y) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("Series '" + name + "' needs as many x as y values, at least one; got "
                    + x.length + " and " + y.length);
        }
        if (series.stream().anyMatch(s -> s.name().equals(name))) {
            throw new IllegalArgumentException("The plot has a series '" + name + "' already");
        }
        List<Series> more = new ArrayList<>(series);
        more.add(new Series(name, x.clone(), y.clone()));
        return new LinePlot(title, xTitle, yTitle, logY, width, height, more);
    }

    /**
     * Adds a series whose x values are 1, 2, 3, ... (epochs, layers).
     *
     * @param name the series' name, shown in the legend; unique in the plot
     * @param y the y values
     * @return a copy of this plot with the series
     */
    public LinePlot series(String name, double[] y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return series(name, x, y);
    }

    /**
     * Adds a function, drawn at {@value #FUNCTION_POINTS} evenly spaced points from {@code from} to {@code to}.
     *
     * @param name the series' name, shown in the legend; unique in the plot
     * @param from the first x
     * @param to the last x, above {@code from}
     * @param function y for each x
     * @return a copy of this plot with the series
     */
    public LinePlot function(String name, double from, double to, DoubleUnaryOperator function) {
        if (!(to > from)) {
            throw new IllegalArgumentException("Function '" + name + "' needs from < to, not " + from + " and " + to);
        }
        double[] x = new double[FUNCTION_POINTS];
        double[] y = new double[FUNCTION_POINTS];
        for (int i = 0; i < FUNCTION_POINTS; i++) {
            x[i] = from + (to - from) * i / (FUNCTION_POINTS - 1);
            y[i] = function.applyAsDouble(x[i]);
        }
        return series(name, x, y);
    }

    /**
     * Builds the chart.
     *
     * @throws IllegalStateException if there is no series, or a log axis meets a value that is not above zero
     */
    public XYChart toChart() {
        if (series.isEmpty()) {
            throw new IllegalStateException("The plot '" + title + "' has no series to draw");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS); // below the plot: it never hides a curve
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendVisible(series.size() > 1 || !series.get(0).name().equals(title));
        chart.getStyler().setYAxisLogarithmic(logY);
        for (Series s : series) {
            if (logY) {
                for (int i = 0; i < s.y().length; i++) {
                    if (!(s.y()[i] > 0)) {
                        throw new IllegalStateException("A log y axis needs values above 0, but series '" + s.name()
                                + "' has " + s.y()[i] + " at x = " + s.x()[i]);
                    }
                }
            }
            XYSeries line = chart.addSeries(s.name(), s.x(), s.y());
            line.setMarker(s.x().length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        addMargins(chart);
        return chart;
    }

    /**
     * Leaves 5% of room around the data, as matplotlib does, so that curves do not run along the frame. It also
     * steers XChart's ticks: on an axis whose data values are evenly spaced XChart puts ticks only at data values
     * (good for epochs 1, 2, 3; odd for a function sampled at -4, -3.96, ...), and an axis range that differs from
     * the data's turns that off. So the x axis gets its margin only when it has values that are not whole numbers.
     */
    private void addMargins(XYChart chart) {
        double[] xRange = range(Series::x);
        double[] yRange = range(Series::y);
        if (!logY) {
            double margin = yRange[1] > yRange[0] ? 0.05 * (yRange[1] - yRange[0]) : 0.5;
            chart.getStyler().setYAxisMin(yRange[0] - margin);
            chart.getStyler().setYAxisMax(yRange[1] + margin);
        }
        boolean wholeNumbers = series.stream().flatMapToDouble(s -> Arrays.stream(s.x()))
                .allMatch(v -> v == Math.rint(v));
        if (!wholeNumbers && xRange[1] > xRange[0]) {
            double margin = 0.05 * (xRange[1] - xRange[0]);
            chart.getStyler().setXAxisMin(xRange[0] - margin);
            chart.getStyler().setXAxisMax(xRange[1] + margin);
        }
    }

    private double[] range(Function<Series, double[]> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : values.apply(s)) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min <= max ? new double[] {min, max} : new double[] {0, 1};
    }
}
