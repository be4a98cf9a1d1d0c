package io.javadl.kernel;

import io.javadl.agent.CellStop;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Watches the cells that keep running after Jupyter's interrupt, and stops or reports them.
 *
 * <p>JJava answers an interrupt request by interrupting the thread that runs the cell, and reports the cell as
 * interrupted at once. The cell's own code then ends at its next loop iteration or call: the kernel's Java
 * agent ({@link CellStop}) put a check there. A loop over a {@code DataLoader} (so {@code ClassifierLoop}) ends
 * by itself at the next batch. What is left is code outside the cell that ignores the interrupt: a busy loop in
 * a library or in the JDK, or one long native call. The guard looks at JJava's cell threads five times a
 * second; one whose interrupt flag has stayed set for the grace period is in such code:
 * <ul>
 *   <li>up to Java 19, it is stopped with {@link Thread#stop()}, which unwinds it through its {@code finally}
 *       blocks;
 *   <li>from Java 20 on, which took {@code Thread.stop} away, nothing can stop it from outside: the guard
 *       writes a notice that says where it runs and that restarting the kernel stops it, into the kernel's log
 *       at once and into the notebook at the start of the next cell (the interrupted cell's output is closed by
 *       then).
 * </ul>
 */
final class InterruptGuard implements AutoCloseable {

    /** How long an interrupted cell may take to end by itself. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private static final long POLL_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(InterruptGuard.class.getName());

    private final long graceNanos;
    private final boolean canStopThreads;
    private final Map<Thread, Long> interruptedSince = new WeakHashMap<>();
    private final Set<Thread> reported = new HashSet<>();
    private final List<String> notices = new ArrayList<>();
    private final ScheduledExecutorService poller;

    private InterruptGuard(Duration grace, boolean canStopThreads) {
        this.graceNanos = grace.toNanos();
        this.canStopThreads = canStopThreads;
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "javadl-interrupt-guard");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> check(System.nanoTime()), POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts watching the cell threads, with the standard grace period. */
    static InterruptGuard start() {
        return start(GRACE, Runtime.version().feature() < 20);
    }

    /**
     * Starts watching the cell threads.
     *
     * @param grace how long a cell may run on after its thread was interrupted
     * @param canStopThreads whether {@link Thread#stop()} works on this JDK (up to Java 19); when false, a cell
     *     still running after the grace period is reported instead
     * @return the running guard; {@link #close()} stops it
     */
    static InterruptGuard start(Duration grace, boolean canStopThreads) {
        return new InterruptGuard(grace, canStopThreads);
    }

    private synchronized void check(long now) {
        for (Thread thread : cellThreads()) {
            if (!thread.isAlive() || !thread.isInterrupted()) {
                // JJava's pool clears the flag before it runs the next cell
                interruptedSince.remove(thread);
                reported.remove(thread);
                continue;
            }
            long since = interruptedSince.computeIfAbsent(thread, t -> now);
            if (now - since < graceNanos) {
                continue;
            }
            if (canStopThreads) {
                stop(thread);
                interruptedSince.put(thread, now); // code that catches ThreadDeath is stopped again later
            } else if (reported.add(thread)) {
                String notice = stillRunningNotice(thread);
                LOG.warning(notice);
                notices.add(notice);
            }
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stop(Thread thread) {
        thread.stop();
        LOG.info(() -> "Stopped " + thread.getName() + ": its cell was still running "
                + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms after the interrupt");
    }

    private static String stillRunningNotice(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        String where = stack.length == 0 ? "native code" : stack[0].getClassName() + "." + stack[0].getMethodName();
        return "An interrupted cell is still running, in " + where + ": code outside the cell that ignores the"
                + " interrupt, which Java " + Runtime.version().feature() + " cannot stop from outside. It keeps a"
                + " CPU core busy until it ends. To stop it now: Kernel > Restart Kernel (the notebook's variables"
                + " are lost).";
    }

    /**
     * Writes the notices about still-running cells that the notebook has not shown yet; the extension calls
     * this as each cell starts.
     *
     * @param notebook the running cell's error stream
     */
    synchronized void printNotices(PrintStream notebook) {
        for (String notice : notices) {
            notebook.println(notice);
        }
        notices.clear();
    }

    private static Set<Thread> cellThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() * 2 + 16];
        int count = root.enumerate(threads, true);
        Set<Thread> cells = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().startsWith(CellStop.CELL_THREAD_PREFIX)) {
                cells.add(threads[i]);
            }
        }
        return cells;
    }

    /** Stops watching. */
    @Override
    public void close() {
        poller.shutdownNow();
    }
}
