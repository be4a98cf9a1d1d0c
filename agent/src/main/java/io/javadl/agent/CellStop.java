package io.javadl.agent;

/**
 * The check that {@link CellStopAgent} puts into the code of every cell: at the start of each method and before
 * each backward jump (every loop's next iteration). It costs a read of the thread's interrupt flag.
 *
 * <p>JJava answers Jupyter's interrupt by interrupting the thread that runs the cell, and reports the cell as
 * interrupted at once. Code that never looks at the flag itself (a busy loop, a loop of plain NDArray
 * operations) would go on in the background. With this check it ends at its next iteration instead, with a
 * {@link CellStoppedError} that unwinds it through its {@code finally} blocks, so try-with-resources still
 * closes what the cell opened. Unlike {@code Thread.stop}, which Java 20 took away, the error is thrown only in
 * the cell's own code, never in the middle of a library's.
 */
public final class CellStop {

    /** The name JJava gives the threads that run cells ({@code jjava-exec-<random>-<n>}). */
    public static final String CELL_THREAD_PREFIX = "jjava-exec-";

    private CellStop() {
    }

    /**
     * Throws when the calling thread runs a cell and its interrupt flag is set. Threads that a cell starts
     * itself are left alone: they may use interrupts their own way.
     *
     * @throws CellStoppedError when the cell was interrupted
     */
    public static void check() {
        Thread thread = Thread.currentThread();
        if (thread.isInterrupted() && thread.getName().startsWith(CELL_THREAD_PREFIX)) {
            throw new CellStoppedError(thread.getName());
        }
    }
}
