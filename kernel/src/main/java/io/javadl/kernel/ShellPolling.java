package io.javadl.kernel;

import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.dflib.jjava.shaded.org.zeromq.ZMQ;

/**
 * Lets JJava's shell and control channels answer a request as soon as it comes. Each channel is a loop thread that
 * polls its socket without waiting, handles what came, and then sleeps 50 ms, so a request waited up to 50 ms before
 * the kernel saw it: a trivial cell ({@code 1 + 1}) took 80 to 100 ms from request to idle where JShell needs about
 * 28 ms. With this, the loop waits on its socket for those 50 ms instead of sleeping: it wakes when a request comes,
 * and as often as before when none does.
 *
 * <p>JJava's extension API gives no way to its channels, hence the reflection: the loops are threads of JJava's
 * {@code Loop} class, whose {@code loopBody} runs one turn and returns how long to sleep; the turn is a lambda that
 * holds the channel's ZeroMQ poller. The loops start after extensions are installed, so {@link #settle} is tried
 * until it has found them. Where a JJava lays its loops out otherwise, the kernel logs why and keeps JJava's
 * timing.
 */
final class ShellPolling {

    private static final Logger LOG = Logger.getLogger(ShellPolling.class.getName());

    private boolean settled;

    /**
     * Finds and changes the shell loops once they run; called from one thread, again until it returns true.
     *
     * @return whether the loops are changed, or cannot be (then the kernel has logged why)
     */
    boolean settle() {
        if (!settled) {
            settled = waitOnSockets();
        }
        return settled;
    }

    /** True when the loops are found and changed, or cannot be (then the kernel has logged why). */
    private boolean waitOnSockets() {
        int changed = 0;
        try {
            for (JJavaInternals.ShellLoop loop : JJavaInternals.shellLoops()) {
                loop.body().set(loop.thread(), waitingOn((ZMQ.Poller) loop.held(ZMQ.Poller.class), loop.turn()));
                changed++;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "This JJava's channel loops are laid out otherwise: each request waits for JJava's own "
                    + "50 ms polling (" + e + ")");
            return true;
        }
        if (changed > 0) {
            int loops = changed;
            LOG.info(() -> "Shell polling: " + loops + " channel loops wait on their sockets between turns");
        }
        return changed > 0;
    }

    /**
     * A loop turn that runs JJava's and then, where JJava's would sleep, waits on the socket for as long: the loop
     * goes on at once when a request comes. An interrupted loop, or one whose poller fails, sleeps as JJava's.
     */
    private static LongSupplier waitingOn(ZMQ.Poller poller, LongSupplier turn) {
        return () -> {
            long sleep = turn.getAsLong(); // 0 or less: go on, or stop the loop
            if (sleep <= 0 || Thread.currentThread().isInterrupted()) {
                return sleep;
            }
            try {
                poller.poll(sleep);
                return 0;
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Shell polling: the poller failed, sleeping instead", e);
                return sleep;
            }
        };
    }
}
