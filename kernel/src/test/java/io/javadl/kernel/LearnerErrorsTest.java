package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A JShell that runs snippets in this JVM, as JJava's does, with the extension's listener on it. */
class LearnerErrorsTest {

    private JShell shell;

    @BeforeEach
    void startShell() {
        shell = JShell.builder().executionEngine("local").build();
        shell.addToClasspath(System.getProperty("java.class.path"));
        shell.onSnippetEvent(LearnerErrors::shape);
    }

    @AfterEach
    void closeShell() {
        shell.close();
    }

    /** The classes of the frames of the error the snippet threw, after the listener saw it. */
    private List<String> frameClasses(String snippet) {
        List<SnippetEvent> events = shell.eval(snippet);
        EvalException error = assertInstanceOf(EvalException.class, events.get(events.size() - 1).exception(), snippet);
        return Arrays.stream(error.getStackTrace()).map(StackTraceElement::getClassName).collect(Collectors.toList());
    }

    @Test
    void aDatasetErrorShowsTheCellsLinesWithoutTheLibrarysOrTheJdksFrames() {
        // JShell names a cell's frames "" (file "#id") in the traces it hands on
        List<String> frames = frameClasses("io.javadl.data.Cifar10.builder()"
                + ".optRoot(java.nio.file.Path.of(\"/etc/hostname\")).build().size();");

        assertEquals(List.of(""), frames);
    }

    @Test
    void aDatasetErrorsCauseLosesItsInternalFramesTooButTheRealCauseKeepsThem() {
        shell.eval("java.io.IOException real = new java.io.IOException(\"refused\");");
        List<SnippetEvent> events =
                shell.eval("throw new io.javadl.data.DatasetException(\"Cannot reach it.\", real);");
        Throwable shownCause = events.get(0).exception().getCause();

        assertEquals(List.of(""), Arrays.stream(shownCause.getStackTrace()).map(StackTraceElement::getClassName)
                .toList());
        List<SnippetEvent> real = shell.eval("real.getStackTrace().length > 1");
        assertEquals("true", real.get(0).value());
    }

    @Test
    void otherErrorsKeepTheirWholeTrace() {
        List<String> frames = frameClasses("java.util.Optional.empty().orElseThrow();");

        assertEquals(List.of("java.util.Optional", ""), frames);
    }
}
