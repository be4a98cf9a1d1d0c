package io.javadl.agent;

/**
 * Ends a cell that went on after Jupyter's interrupt (see {@link CellStop}). An {@link Error}, so that a cell's
 * {@code catch (Exception e)} does not swallow it; and were it caught anyway, the next check throws again, as
 * the thread's interrupt flag stays set.
 */
public final class CellStoppedError extends Error {

    private static final long serialVersionUID = 1L;

    CellStoppedError(String threadName) {
        super("Stopped the cell on " + threadName + ": it was still running after the interrupt");
    }
}
