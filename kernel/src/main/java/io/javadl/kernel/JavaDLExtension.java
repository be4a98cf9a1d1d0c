package io.javadl.kernel;

import io.javadl.board.Displays;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * The javadl kernel's JJava extension. JJava finds it through {@code META-INF/services} in the jars of
 * {@code JJAVA_CLASSPATH} and installs it once, when the kernel starts and before the first cell runs.
 *
 * <p>It keeps library logging out of the notebook, registers the renderers for tablesaw tables, XChart
 * charts, images and NDArrays (PyTorch-style), gives the course library a {@link io.javadl.board.Display} (so that {@code SummaryWriter} and
 * {@code LiveChart} can show pictures in the running cell), starts the {@link InterruptGuard} (so that an
 * interrupted cell really stops), and evaluates the course imports, in that order: logging first, so that
 * nothing the later steps load can print into a cell.
 */
public final class JavaDLExtension implements Extension {

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
        interruptGuard = InterruptGuard.start();
        kernel.evalRaw(CourseImports.script());
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        Displays.uninstall(display);
        interruptGuard.close();
    }
}
