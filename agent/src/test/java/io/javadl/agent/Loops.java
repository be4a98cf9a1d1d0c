package io.javadl.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loops that never look at their thread's interrupt flag, as a learner's cell might. The tests load this class
 * with and without the stop checks; each loop runs until {@link #release} or until a check stops it.
 */
public final class Loops {

    /** Ends every loop that has not been stopped, after the test. */
    public static volatile boolean release;

    private Loops() {
    }

    /** Counts until released, then runs its finally block. */
    public static void spin(CountDownLatch started, AtomicBoolean finallyRan) {
        started.countDown();
        try {
            long spins = 0;
            while (!release) {
                spins++;
            }
        } finally {
            finallyRan.set(true);
        }
    }

    /** Swallows every throwable inside the loop, as a careless {@code catch (Throwable t)} does. */
    public static void swallowEverything(CountDownLatch started, AtomicBoolean finallyRan) {
        started.countDown();
        try {
            do {
                try {
                    work();
                } catch (Throwable swallowed) {
                    // keeps going: only the check at the loop's back edge can end it
                }
            } while (!release);
        } finally {
            finallyRan.set(true);
        }
    }

    private static int work() {
        int sum = 0;
        for (int i = 0; i < 1_000; i++) {
            sum += i;
        }
        return sum;
    }
}
