package io.javadl.kernel;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The imports every javadl notebook starts with, so that a notebook needs no import cell for the basics.
 * JJava itself already imports {@code java.util.*}, {@code java.io.*} and a few more.
 */
final class CourseImports {

    /** Packages imported on demand, in the order they are evaluated. */
    static final List<String> PACKAGES = List.of(
            "ai.djl",                  // Device, Model
            "ai.djl.engine",           // Engine
            "ai.djl.ndarray",          // NDArray, NDManager, NDList
            "ai.djl.ndarray.index",    // NDIndex
            "ai.djl.ndarray.types",    // Shape, DataType
            "ai.djl.nn",               // Block, SequentialBlock, Activation, Parameter
            "ai.djl.training",         // Trainer, DefaultTrainingConfig, GradientCollector
            "tech.tablesaw.api",       // Table, DoubleColumn, StringColumn
            "org.knowm.xchart",        // XYChart, XYChartBuilder, BitmapEncoder
            "io.javadl.core");         // the course library

    private CourseImports() {}

    /** Returns the JShell source that imports {@link #PACKAGES}, one import per line. */
    static String script() {
        return PACKAGES.stream().map(p -> "import " + p + ".*;").collect(Collectors.joining("\n"));
    }
}
