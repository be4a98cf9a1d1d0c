package io.javadl.kernel;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * The javadl kernel's JJava extension. JJava finds it through {@code META-INF/services} in the jars of
 * {@code JJAVA_CLASSPATH} and installs it once, when the kernel starts and before the first cell runs.
 *
 * <p>It keeps library logging out of the notebook, registers the renderers for tablesaw tables and XChart
 * charts, and evaluates the course imports, in that order: logging first, so that nothing the later steps
 * load can print into a cell.
 */
public final class JavaDLExtension implements Extension {

    @Override
    public void install(BaseKernel kernel) {
        KernelLogging.keepOutOfNotebook();
        TableRenderer.register(kernel.getRenderer());
        ChartRenderer.register(kernel.getRenderer());
        kernel.evalRaw(CourseImports.script());
    }
}
