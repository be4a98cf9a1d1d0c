package io.javadl.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KernelExitTest {

    @Test
    void theKernelExitsWithZeroWhenTheMainThreadEnds() throws InterruptedException {
        CountDownLatch end = new CountDownLatch(1);
        Thread main = new Thread(() -> awaitQuietly(end), "main-standin");
        main.start();
        BlockingQueue<Integer> statuses = new ArrayBlockingQueue<>(1);

        KernelExit.whenEnded(main, statuses::add);

        assertNull(statuses.poll(200, TimeUnit.MILLISECONDS), "the kernel exited while its main thread ran");
        end.countDown();
        assertEquals(0, statuses.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aMainThreadThatFailsEndsTheKernelWithOneAndIsStillReported() throws InterruptedException {
        BlockingQueue<Throwable> reported = new ArrayBlockingQueue<>(1);
        CountDownLatch start = new CountDownLatch(1);
        Thread main = new Thread(() -> {
            awaitQuietly(start);
            throw new IllegalStateException("the connection failed");
        }, "main-standin");
        main.setUncaughtExceptionHandler((thread, error) -> reported.add(error));
        main.start();
        BlockingQueue<Integer> statuses = new ArrayBlockingQueue<>(1);

        KernelExit.whenEnded(main, statuses::add);
        start.countDown();

        assertEquals(1, statuses.poll(10, TimeUnit.SECONDS));
        assertEquals("the connection failed", reported.poll(1, TimeUnit.SECONDS).getMessage());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
