package io.javadl.kernel;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Stops a cell that keeps running after Jupyter's interrupt.
 *
 * <p>JJava answers an interrupt request by interrupting the thread that runs the cell, and reports the cell as
 * interrupted at once. Code that never looks at its thread's interrupt flag (a busy loop, a training loop of
 * plain NDArray operations) would go on in the background: it holds a CPU core and races the next cell for the
 * same variables and models. The guard looks at JJava's cell threads five times a second; one whose interrupt
 * flag has stayed set for the grace period is stopped with {@link Thread#stop()}, which unwinds it through its
 * {@code finally} blocks, so try-with-resources still closes what the cell opened. The course library's loops
 * (a {@code DataLoader}, and so {@code ClassifierLoop}) end by themselves at the next batch, well within the
 * grace period.
 *
 * <p>{@code Thread.stop} works up to Java 19. On Java 20 and newer it is gone; the guard then logs, once per
 * thread, that the cell still runs and that restarting the kernel stops it.
 */
final class InterruptGuard implements AutoCloseable {

    /** The name JJava gives the threads that run cells ({@code jjava-exec-<random>-<n>}). */
    static final String CELL_THREAD_PREFIX = "jjava-exec-";

    /** How long an interrupted cell may take to end by itself. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private static final long POLL_MILLIS = 200;
    private static final Logger LOG = Logger.getLogger(InterruptGuard.class.getName());

    private final long graceNanos;
    private final Map<Thread, Long> interruptedSince = new WeakHashMap<>();
    private final Set<Thread> warned = new HashSet<>();
    private final ScheduledExecutorService poller;

    private InterruptGuard(Duration grace) {
        this.graceNanos = grace.toNanos();
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "javadl-interrupt-guard");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(() -> check(System.nanoTime()), POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts watching the cell threads, with the standard grace period. */
    static InterruptGuard start() {
        return start(GRACE);
    }

    /**
     * Starts watching the cell threads.
     *
     * @param grace how long a cell may run on after its thread was interrupted
     * @return the running guard; {@link #close()} stops it
     */
    static InterruptGuard start(Duration grace) {
        return new InterruptGuard(grace);
    }

    private synchronized void check(long now) {
        for (Thread thread : cellThreads()) {
            if (!thread.isAlive() || !thread.isInterrupted()) {
                // JJava's pool clears the flag before it runs the next cell
                interruptedSince.remove(thread);
                warned.remove(thread);
                continue;
            }
            long since = interruptedSince.computeIfAbsent(thread, t -> now);
            if (now - since >= graceNanos) {
                stop(thread);
                interruptedSince.put(thread, now); // code that catches ThreadDeath is stopped again later
            }
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void stop(Thread thread) {
        try {
            thread.stop();
            LOG.info(() -> "Stopped " + thread.getName() + ": its cell was still running "
                    + TimeUnit.NANOSECONDS.toMillis(graceNanos) + " ms after the interrupt");
        } catch (UnsupportedOperationException e) {
            if (warned.add(thread)) {
                LOG.warning(() -> "An interrupted cell is still running on " + thread.getName() + ", and Java "
                        + Runtime.version().feature() + " cannot stop a thread. Restart the kernel to stop it.");
            }
        }
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
            if (threads[i].getName().startsWith(CELL_THREAD_PREFIX)) {
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
