package io.javadl.kernel;

import io.javadl.agent.CellStopAgent;
import io.javadl.board.Displays;
import java.util.function.Consumer;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * The javadl kernel's JJava extension. JJava finds it through {@code META-INF/services} in the jars of
 * {@code JJAVA_CLASSPATH} and installs it once, when the kernel starts and before the first cell runs.
 *
 * <p>It keeps library logging out of the notebook, registers the renderers for tablesaw tables, XChart
 * charts, images and NDArrays (PyTorch-style), gives the course library a {@link io.javadl.board.Display} (so
 * that {@code SummaryWriter} and {@code LiveChart} can show pictures in the running cell), starts the
 * {@link InterruptGuard} (which stops or reports a cell that runs on after an interrupt), keeps an interrupt for
 * the rest of its cell ({@link PendingInterrupts}), shows the course library's errors for people without its
 * internals ({@link LearnerErrors}), keeps the console's stream from showing as a cell's result
 * ({@link ConsoleStreamResults}), lets JJava's channels answer requests at once ({@link ShellPolling}), and
 * evaluates the course imports, in that order: logging first, so that nothing the later steps load can print into
 * a cell.
 */
public final class JavaDLExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(JavaDLExtension.class.getName());

    private JupyterDisplay display;
    private InterruptGuard interruptGuard;

    @Override
    public void install(BaseKernel kernel) {
        KernelLogging.keepOutOfNotebook();
        TableRenderer.register(kernel.getRenderer());
        ChartRenderer.register(kernel.getRenderer());
        ImageRenderer.register(kernel.getRenderer());
        ArrayRenderer.register(kernel.getRenderer());
        display = new JupyterDisplay(kernel);
        Displays.install(display);
        if (!startCellChecks()) {
            LOG.warning("The kernel's JVM runs without the javadl agent (-javaagent, see kernel/install.py): an "
                    + "interrupt stops only cells that end by themselves");
        }
        interruptGuard = InterruptGuard.start();
        keepInterruptsForTheirCell(kernel);
        ConsoleStreamResults consoleResults = consoleStreamResults(kernel);
        ShellPolling shellPolling = new ShellPolling();
        onEachSnippet(kernel, event -> {
            shellPolling.cellRan();
            interruptGuard.printNotices(System.err);
            LearnerErrors.shape(event);
            if (consoleResults != null) {
                consoleResults.drop(event);
            }
        });
        kernel.evalRaw(CourseImports.script());
    }

    /** Installs {@link PendingInterrupts}, or logs why an interrupt stops only a snippet that runs at that moment. */
    private static void keepInterruptsForTheirCell(BaseKernel kernel) {
        try {
            PendingInterrupts.install(kernel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "This JJava (" + kernel.getClass().getName() + ") keeps its running snippets elsewhere: "
                    + "an interrupt that comes while a cell's next snippet compiles does not stop the cell ("
                    + e + ")");
        }
    }

    /** The hook that keeps {@code System.out.printf(...)} from showing the stream as a result; null where unknown. */
    private static ConsoleStreamResults consoleStreamResults(BaseKernel kernel) {
        try {
            return ConsoleStreamResults.of(kernel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "This JJava (" + kernel.getClass().getName() + ") keeps its results elsewhere: a cell "
                    + "ending in System.out.printf(...) shows the stream as its result too (" + e + ")");
            return null;
        }
    }

    /** Turns the agent's checks on; false when the JVM runs without the agent, whose classes it alone brings. */
    private static boolean startCellChecks() {
        try {
            return CellStopAgent.startChecks();
        } catch (NoClassDefFoundError e) { // as when kernel/class_archive.py records the classes to archive
            return false;
        }
    }

    /**
     * Runs {@code action} whenever JShell has evaluated a snippet of a cell, while {@code System.err} is that cell's
     * stream and before JJava shows the snippet's error. JJava's {@code JavaKernel} hands out its JShell, but the
     * extension API ({@link BaseKernel}) does not declare it, hence the reflection.
     */
    private static void onEachSnippet(BaseKernel kernel, Consumer<SnippetEvent> action) {
        try {
            JShell shell = (JShell) kernel.getClass().getMethod("getJShell").invoke(kernel);
            shell.onSnippetEvent(action);
        } catch (ReflectiveOperationException | ClassCastException e) {
            LOG.warning(() -> "This JJava (" + kernel.getClass().getName() + ") does not hand out its JShell: "
                    + "notices about interrupted cells that still run go to the kernel's log only, and dataset errors "
                    + "show the library's frames (" + e + ")");
        }
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        Displays.uninstall(display);
        interruptGuard.close();
    }
}
