package io.javadl.kernel;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Makes Jupyter's interrupt stop the cell it was meant for even when it comes while none of the cell's snippets
 * runs.
 *
 * <p>JJava runs a cell as a series of snippets (one per statement or declaration), each submitted to its cell
 * thread and then registered in its execution control's map of running snippets; an interrupt cancels what that
 * map holds at that moment. So an interrupt that came while JShell compiled the cell's next snippet, or in the
 * moment between JJava submitting a snippet and registering it (the snippet may have printed already, and on two
 * busy cores that moment can last milliseconds), stopped nothing: the cell ran on, and a front end waited for it
 * forever. This class puts a map of its own in JJava's place, which remembers an interrupt for the rest of the
 * cell it came in and cancels each snippet of that cell as it is registered.
 *
 * <p>A cell is told by JJava's execution count, which every execute request counts up before it runs anything: an
 * interrupt while the kernel is idle is kept for a cell that has ended, and stops nothing later. JJava's interrupt
 * is the only caller of the map's {@code forEach}. The extension API gives no way to the map, hence the
 * reflection: {@link #install} fails where a JJava keeps it elsewhere, and the kernel then interrupts as JJava does
 * (and logs why).
 */
final class PendingInterrupts {

    private PendingInterrupts() {
    }

    /**
     * Puts a {@link RunningSnippets} in the place of a JJava kernel's map of running snippets.
     *
     * @param kernel the running JJava kernel (a {@code JavaKernel}, which hands out its evaluator)
     * @throws ReflectiveOperationException where this JJava keeps its execution count or running snippets elsewhere
     */
    @SuppressWarnings("unchecked")
    static void install(BaseKernel kernel) throws ReflectiveOperationException {
        AtomicInteger executionCount =
                (AtomicInteger) JJavaInternals.field(BaseKernel.class, "executionCount").get(kernel);
        Object control = JJavaInternals.executionControl(kernel);
        Field running = JJavaInternals.field(control.getClass(), "running"); // a package-private class of JJava
        RunningSnippets snippets = new RunningSnippets(executionCount::get);
        snippets.putAll((Map<Object, Future<?>>) running.get(control));
        running.set(control, snippets);
    }

    /**
     * The running snippets, by JJava's key for each, and the cell an interrupt came in. Both of JJava's threads
     * use it: the shell's, which registers and removes snippets, and the control channel's, which interrupts.
     */
    static final class RunningSnippets extends ConcurrentHashMap<Object, Future<?>> {

        private static final long serialVersionUID = 1L;

        private final transient IntSupplier currentCell;
        /** The execution count at the last interrupt; guarded by this map's monitor. */
        private int interruptedCell = Integer.MIN_VALUE;

        /** @param currentCell the execution count, which tells the running cell from the one before */
        RunningSnippets(IntSupplier currentCell) {
            this.currentCell = currentCell;
        }

        /**
         * Registers a snippet that has been submitted to the cell thread, and cancels it (interrupting the thread
         * where it has started) when its cell was interrupted before.
         */
        @Override
        public synchronized Future<?> put(Object key, Future<?> snippet) {
            Future<?> previous = super.put(key, snippet);
            if (interruptedCell == currentCell.getAsInt()) {
                snippet.cancel(true);
            }
            return previous;
        }

        /**
         * JJava's interrupt: remembers that the running cell was interrupted, then hands each snippet registered
         * now to {@code action} (JJava cancels them). Under the same monitor as {@link #put}, so a snippet is
         * either registered before and handed over here, or registered after and cancelled there.
         */
        @Override
        public synchronized void forEach(BiConsumer<? super Object, ? super Future<?>> action) {
            interruptedCell = currentCell.getAsInt();
            super.forEach(action);
        }
    }
}
