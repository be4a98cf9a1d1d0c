package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javadl.kernel.PendingInterrupts.RunningSnippets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PendingInterruptsTest {

    private final AtomicInteger executionCount = new AtomicInteger(7);
    private final RunningSnippets running = new RunningSnippets(executionCount::get);

    /** What JJava's interrupt does with the map. */
    private void interrupt() {
        running.forEach((key, snippet) -> snippet.cancel(true));
    }

    private static FutureTask<Object> snippet() {
        return new FutureTask<>(() -> "ran");
    }

    @Test
    void aSnippetRunningAtTheInterruptIsHandedToJJava() {
        FutureTask<Object> snippet = snippet();
        running.put("snippet-1", snippet);

        interrupt();

        assertTrue(snippet.isCancelled());
    }

    @Test
    void aSnippetRegisteredAfterAnInterruptOfItsCellIsCancelled() {
        interrupt(); // while the cell's next snippet compiled, or before JJava registered it
        FutureTask<Object> next = snippet();
        running.put("snippet-2", next);

        assertTrue(next.isCancelled());
        next.run();
        assertThrows(CancellationException.class, next::get, "a cancelled snippet does not run");
    }

    @Test
    void anInterruptStopsNothingInTheNextCell() {
        interrupt(); // while the kernel is idle, or in the cell before
        executionCount.incrementAndGet(); // JJava counts each execute request before it runs anything
        FutureTask<Object> snippet = snippet();
        running.put("snippet-1", snippet);

        assertFalse(snippet.isCancelled());
    }

    @Test
    void aSnippetThatStartedBeforeItWasRegisteredHasItsThreadInterrupted() throws Exception {
        ExecutorService cellThread = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            Future<?> snippet = cellThread.submit(() -> {
                started.countDown();
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
                interrupted.countDown();
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));

            interrupt();
            running.put("snippet-1", snippet);

            assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the snippet's thread was interrupted");
        } finally {
            cellThread.shutdownNow();
        }
    }
}
