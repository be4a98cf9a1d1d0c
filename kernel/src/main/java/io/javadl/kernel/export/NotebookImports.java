package io.javadl.kernel.export;

import io.javadl.board.NotebookOutput;
import io.javadl.kernel.CourseImports;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every javadl notebook can use without importing it, as imports for a JShell script or a Java file: JJava's
 * own (its {@code NotebookInitializer}), the course's ({@link CourseImports}), and in place of JJava's notebook
 * functions ({@code display}, {@code updateDisplay}, {@code printf}) the program's, {@link NotebookOutput}.
 */
final class NotebookImports {

    /** The packages JJava 1.0a8 imports into every notebook (its {@code NotebookInitializer.STARTUP_SCRIPT}). */
    static final List<String> JJAVA_PACKAGES = List.of("java.util", "java.io", "java.math", "java.net", "java.time",
            "java.util.concurrent", "java.util.prefs", "java.util.regex");

    private NotebookImports() {}

    /** The import declarations, one a line, in the kernel's order. */
    static List<String> declarations() {
        return Stream.of(
                JJAVA_PACKAGES.stream().map(p -> "import " + p + ".*;"),
                Stream.of("import static " + NotebookOutput.class.getName() + ".*;"),
                CourseImports.PACKAGES.stream().map(p -> "import " + p + ".*;"),
                CourseImports.CLASSES.stream().map(c -> "import " + c + ";"))
                .flatMap(s -> s)
                .toList();
    }
}
