package io.javadl.kernel;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The imports every javadl notebook starts with, so that a notebook needs no import cell for the basics.
 * JJava itself already imports {@code java.util.*}, {@code java.io.*} and a few more.
 */
public final class CourseImports {

    /** Packages imported on demand, in the order they are evaluated. */
    public static final List<String> PACKAGES = List.of(
            "java.nio.file",           // Path, Files
            "ai.djl",                  // Device, Model
            "ai.djl.engine",           // Engine
            "ai.djl.ndarray",          // NDArray, NDManager, NDList
            "ai.djl.ndarray.index",    // NDIndex
            "ai.djl.ndarray.types",    // Shape, DataType
            "ai.djl.nn",               // Block, SequentialBlock, Activation, Parameter
            "ai.djl.training",         // Trainer, DefaultTrainingConfig, GradientCollector
            "ai.djl.training.dataset", // Dataset, Batch, Record
            "ai.djl.training.loss",    // Loss
            "ai.djl.training.optimizer", // Optimizer
            "ai.djl.training.tracker", // Tracker
            "tech.tablesaw.api",       // Table, DoubleColumn, StringColumn
            "org.knowm.xchart",        // XYChart, XYChartBuilder, BitmapEncoder
            "io.javadl.core",          // the course library ...
            "io.javadl.board",
            "io.javadl.data",
            "io.javadl.data.transforms",
            "io.javadl.models",
            "io.javadl.train");

    /**
     * Classes imported by name: {@code Record}, because an on-demand import of a name that {@code java.lang}
     * also has is ambiguous ({@code java.lang.Record}); {@code Transform}, the type of a transform pipeline,
     * without the rest of its package.
     */
    public static final List<String> CLASSES = List.of("ai.djl.training.dataset.Record", "ai.djl.translate.Transform");

    private CourseImports() {}

    /** Returns the JShell source that imports {@link #PACKAGES} and {@link #CLASSES}, one import per line. */
    public static String script() {
        return Stream.concat(PACKAGES.stream().map(p -> p + ".*"), CLASSES.stream())
                .map(name -> "import " + name + ";")
                .collect(Collectors.joining("\n"));
    }
}
