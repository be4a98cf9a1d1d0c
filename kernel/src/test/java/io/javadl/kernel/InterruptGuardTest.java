package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.javadl.agent.CellStop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptGuardTest {

    private static final boolean CAN_STOP_THREADS = Runtime.version().feature() < 20;

    private static final Duration GRACE = Duration.ofMillis(300);

    private InterruptGuard guard;
    private volatile boolean release;

    @AfterEach
    void stopGuardAndThreads() {
        release = true;
        if (guard != null) {
            guard.close();
        }
    }

    /** A thread that spins until {@link #release}, never looking at its interrupt flag. */
    private Thread spinning(String name, AtomicBoolean finallyRan, CountDownLatch started) {
        Thread thread = new Thread(() -> {
            started.countDown();
            try {
                while (!release) {
                    Thread.onSpinWait();
                }
            } finally {
                finallyRan.set(true);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void upToJava19CodeThatIgnoresTheInterruptIsStoppedAfterTheGracePeriod() throws Exception {
        assumeTrue(CAN_STOP_THREADS, "Java " + Runtime.version().feature() + " has no Thread.stop: "
                + "stillRunningCodeIsReportedToTheNextCell tests what the guard does instead");
        guard = InterruptGuard.start(GRACE, true);
        AtomicBoolean finallyRan = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread cell = spinning(CellStop.CELL_THREAD_PREFIX + "test-0", finallyRan, started);
        started.await();
        long interruptedAt = System.nanoTime();
        cell.interrupt();

        cell.join(5_000);

        assertFalse(cell.isAlive(), "the interrupted cell was stopped");
        assertTrue(finallyRan.get(), "its finally block ran");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt);
        assertTrue(millis >= GRACE.toMillis(), "stopped only after the grace period, not at once: " + millis + " ms");
    }

    @Test
    void stillRunningCodeIsReportedToTheNextCell() throws Exception {
        guard = InterruptGuard.start(GRACE, false);
        CountDownLatch started = new CountDownLatch(1);
        Thread cell = spinning(CellStop.CELL_THREAD_PREFIX + "test-2", new AtomicBoolean(), started);
        started.await();
        cell.interrupt();

        String notice = "";
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); notice.isEmpty() && System.nanoTime() < end;) {
            Thread.sleep(50);
            notice = printedNotices();
        }

        assertTrue(cell.isAlive(), "nothing stopped it");
        assertTrue(notice.startsWith("An interrupted cell is still running, in " + getClass().getName() + "."),
                "names where it runs: " + notice);
        assertTrue(notice.contains("Kernel > Restart Kernel"), "says how to stop it: " + notice);
        assertEquals(1, notice.lines().count(), "one notice: " + notice);
        Thread.sleep(3 * GRACE.toMillis());
        assertEquals("", printedNotices(), "a thread is reported once");
    }

    private String printedNotices() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        guard.printNotices(new PrintStream(printed, true, StandardCharsets.UTF_8));
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runningCellsAndOtherThreadsAreLeftAlone() throws Exception {
        guard = InterruptGuard.start(GRACE, CAN_STOP_THREADS);
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean cellFinally = new AtomicBoolean();
        AtomicBoolean otherFinally = new AtomicBoolean();
        Thread cell = spinning(CellStop.CELL_THREAD_PREFIX + "test-1", cellFinally, started);
        Thread other = spinning("not-a-cell", otherFinally, started);
        started.await();
        other.interrupt();

        Thread.sleep(1_000);

        assertTrue(cell.isAlive(), "a cell that was not interrupted runs on");
        assertTrue(other.isAlive(), "an interrupted thread that is not a cell runs on");
        release = true;
        cell.join(5_000);
        other.join(5_000);
        assertTrue(cellFinally.get() && otherFinally.get(), "both ended by themselves");
    }
}
