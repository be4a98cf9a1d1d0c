package io.javadl.kernel;

import io.javadl.agent.CellStopAgent;
import io.javadl.board.Displays;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.kernel.JavaKernel;

/**
 * The javadl kernel's JJava extension. JJava finds it through {@code META-INF/services} in the jars of
 * {@code JJAVA_CLASSPATH} and installs it once, when the kernel starts and before the first cell runs.
 *
 * <p>It keeps library logging out of the notebook, registers the renderers for tablesaw tables, XChart
 * charts, images and NDArrays (PyTorch-style), gives the course library a {@link io.javadl.board.Display} (so
 * that {@code SummaryWriter} and {@code LiveChart} can show pictures in the running cell), starts the
 * {@link InterruptGuard} (which stops or reports a cell that runs on after an interrupt), keeps an interrupt for
 * the rest of its cell ({@link PendingInterrupts}), shows errors as the learner's own code reads (the course
 * library's errors for people without its internals, repeated frames collapsed, the learner's names where JShell's
 * wrappers would show: {@link LearnerErrors}), keeps the console's stream from showing as a cell's result
 * ({@link ConsoleStreamResults}), lets JJava's channels answer requests at once ({@link ShellPolling}), answers
 * Shift+Tab with signatures and Javadoc ({@link InspectHelp}), drops the variables JShell keeps for expressions'
 * values ({@link ResultVariables}), evaluates the course imports, and has the first cell after a kernel of this
 * server was ended for want of memory say so ({@link OutOfMemoryNotice}), in that order: logging first, so that
 * nothing the later steps load can print into a cell.
 */
public final class JavaDLExtension implements Extension {

    private static final Logger LOG = Logger.getLogger(JavaDLExtension.class.getName());
    private static final Duration CHANNELS_START_WITHIN = Duration.ofMinutes(1);
    private static final long CHANNELS_POLL_MILLIS = 20;

    private JupyterDisplay display;
    private InterruptGuard interruptGuard;
    /** Set once the course imports have run, whose snippets are no learner's cell; null where there is no cgroup. */
    private volatile OutOfMemoryNotice memoryNotice;

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
            LOG.warning("The kernel's JVM runs without the javadl agent (-javaagent, see python/javadl/kernelspec.py): "
                    + "an interrupt stops only cells that end by themselves");
        }
        interruptGuard = InterruptGuard.start();
        keepInterruptsForTheirCell(kernel);
        ConsoleStreamResults consoleResults = consoleStreamResults(kernel);
        JShell shell = jshell(kernel);
        List<BooleanSupplier> channelHooks = new ArrayList<>(List.of(new ShellPolling()::settle));
        if (shell != null) {
            ResultVariables resultVariables = new ResultVariables(shell);
            channelHooks.add(new InspectHelp(shell)::settle);
            channelHooks.add(resultVariables::settle);
            // one listener, its steps in this order (JShell keeps listeners unordered); a step that fails is logged
            // and skipped, since an exception here would escape through JShell's eval into JJava's cell
            shell.onSnippetEvent(event -> {
                step("the memory notice", () -> {
                    OutOfMemoryNotice notice = memoryNotice;
                    if (notice != null) {
                        notice.printIfKilled(System.err);
                    }
                });
                step("the interrupt notices", () -> interruptGuard.printNotices(System.err));
                step("the error's shape", () -> LearnerErrors.shape(event));
                if (consoleResults != null) {
                    step("the console's results", () -> consoleResults.drop(event));
                }
                step("the result variables", () -> resultVariables.note(event));
            });
        }
        whenChannelsRun(channelHooks);
        KernelExit.whenEnded(Thread.currentThread(), System::exit); // JJava installs extensions on its main thread
        kernel.evalRaw(CourseImports.script());
        memoryNotice = OutOfMemoryNotice.forThisProcess();
    }

    /** Runs one step of the snippet listener; logs it when it fails, so that the others still run. */
    private static void step(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "After a cell's snippet, " + what + " failed; the cell goes on without it", e);
        }
    }

    /**
     * Changes JJava's channels as soon as their loops run, which is after the extensions are installed: from a
     * thread of its own, which tries every 20 ms for up to a minute, so that already the first request (a
     * Shift+Tab before any cell ran) finds them changed.
     *
     * @param hooks each changes something of the channels, or says it cannot (then it has logged why), and returns
     *     true from then on; false while the loops have not started
     */
    private static void whenChannelsRun(List<BooleanSupplier> hooks) {
        Thread settler = new Thread(() -> {
            long deadline = System.nanoTime() + CHANNELS_START_WITHIN.toNanos();
            while (!hooks.stream().map(BooleanSupplier::getAsBoolean).reduce(true, Boolean::logicalAnd)) {
                if (System.nanoTime() > deadline) {
                    LOG.warning(() -> "JJava's channel loops did not start within " + CHANNELS_START_WITHIN
                            + ": requests wait for JJava's 50 ms polling, Shift+Tab answers as JJava does, and "
                            + "JShell keeps each expression's value in a variable");
                    return;
                }
                try {
                    Thread.sleep(CHANNELS_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "javadl-channel-hooks");
        settler.setDaemon(true);
        settler.start();
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
        } catch (NoClassDefFoundError e) { // as when python/javadl/class_archive.py records the classes to archive
            return false;
        }
    }

    /**
     * The kernel's JShell, whose listeners run whenever it has evaluated a snippet of a cell, while
     * {@code System.err} is that cell's stream and before JJava shows the snippet's error; null where unknown.
     * JJava's {@link JavaKernel} hands it out, but the extension API ({@link BaseKernel}) does not declare it.
     */
    private static JShell jshell(BaseKernel kernel) {
        try {
            return ((JavaKernel) kernel).getJShell();
        } catch (ClassCastException e) {
            LOG.warning(() -> "This JJava (" + kernel.getClass().getName() + ") does not hand out its JShell: "
                    + "notices about interrupted cells that still run go to the kernel's log only, errors "
                    + "show as JShell gives them, no kill for memory is told, and Shift+Tab answers as JJava does ("
                    + e + ")");
            return null;
        }
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        Displays.uninstall(display);
        interruptGuard.close();
    }
}
