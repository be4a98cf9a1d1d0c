package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void theAgentsStopCheckAtTheTopOfAnOverflowIsLeftOutWithWhatItCalled() {
        StackTraceElement interrupted = new StackTraceElement("java.lang.Thread", "isInterrupted", "Thread.java", 1);
        StackTraceElement check = new StackTraceElement("io.javadl.agent.CellStop", "check", "CellStop.java", 30);
        StackTraceElement down = new StackTraceElement("REPL.$JShell$45", "down", "#45", 1);

        assertEquals(List.of(down, down),
                List.of(LearnerErrors.withoutStopChecks(new StackTraceElement[] {interrupted, check, down, down})));
        StackTraceElement[] checkOnTop = {check, down, down};
        assertEquals(List.of(down, down), List.of(LearnerErrors.withoutStopChecks(checkOnTop)));
        StackTraceElement cancel = new StackTraceElement("REPL.$Cancel$", "stopCheck", null, -1);
        StackTraceElement[] jshellsCheck = {cancel, down};
        assertEquals(List.of(down), List.of(LearnerErrors.withoutStopChecks(jshellsCheck)));
        StackTraceElement[] noCheck = {interrupted, down};
        assertEquals(List.of(noCheck), List.of(LearnerErrors.withoutStopChecks(noCheck)));
    }

    @Test
    void otherErrorsKeepTheirWholeTrace() {
        List<String> frames = frameClasses("java.util.Optional.empty().orElseThrow();");

        assertEquals(List.of("java.util.Optional", ""), frames);
    }

    @Test
    void endlessRecursionShowsTheMethodThreeTimesAndHowOftenTheTraceRepeatsIt() {
        shell.eval("int down(int n) { return down(n - 1) + 1; }");
        List<SnippetEvent> events = shell.eval("down(5);");
        EvalException error = assertInstanceOf(EvalException.class, events.get(0).exception());

        // HotSpot keeps a trace's innermost 1024 frames by default, all of them down's here, but where the stack
        // overflowed inside JShell's own stop check (JDK 25), whose frame, the innermost, is left out
        List<String> shown = Arrays.stream(error.getStackTrace()).map(StackTraceElement::toString).toList();
        assertEquals(List.of(".down(#1:1)", ".down(#1:1)", ".down(#1:1)"), shown.subList(0, 3), shown.toString());
        assertEquals(4, shown.size(), shown.toString());
        assertTrue(shown.get(3).matches("\\.\\.\\. \\(the line above repeated 102[01] more times before the JVM cut "
                + "the trace at 1024 lines\\)"), shown.get(3));
    }

    @Test
    void aDatasetErrorsRepeatedFramesCollapseToo() {
        shell.eval("void load(int n) { if (n == 0) throw new io.javadl.data.DatasetException(\"Missing.\"); "
                + "load(n - 1); }");
        List<String> frames = Arrays.stream(shell.eval("load(9);").get(0).exception().getStackTrace())
                .map(StackTraceElement::toString).toList();

        assertEquals(List.of(".load(#1:1)", ".load(#1:1)", ".load(#1:1)", "... (the line above repeated 7 more times)",
                ".(#2:1)"), frames);
    }
}
