package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterruptGuardTest {

    private static final boolean CAN_STOP_THREADS = Runtime.version().feature() < 20;

    private InterruptGuard guard;
    private volatile boolean release;

    @BeforeEach
    void startGuard() {
        guard = InterruptGuard.start(Duration.ofMillis(300));
    }

    @AfterEach
    void stopGuardAndThreads() {
        release = true;
        guard.close();
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
    void aCellThatIgnoresTheInterruptIsStoppedAfterTheGracePeriod() throws Exception {
        AtomicBoolean finallyRan = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        Thread cell = spinning(InterruptGuard.CELL_THREAD_PREFIX + "test-0", finallyRan, started);
        started.await();
        long interruptedAt = System.nanoTime();
        cell.interrupt();

        cell.join(5_000);

        if (CAN_STOP_THREADS) {
            assertFalse(cell.isAlive(), "the interrupted cell was stopped");
            assertTrue(finallyRan.get(), "its finally block ran");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt);
            assertTrue(millis >= 300, "stopped only after the grace period, not at once: " + millis + " ms");
        } else {
            assertTrue(cell.isAlive(), "Java " + Runtime.version().feature() + " cannot stop threads");
        }
    }

    @Test
    void runningCellsAndOtherThreadsAreLeftAlone() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        AtomicBoolean cellFinally = new AtomicBoolean();
        AtomicBoolean otherFinally = new AtomicBoolean();
        Thread cell = spinning(InterruptGuard.CELL_THREAD_PREFIX + "test-1", cellFinally, started);
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
